"""The resident-tax notice rendered by Typst (PyPI `typst`), for comparison: the same layout placed
absolutely, one page per CSV row, compiled in one document. Usage: typst_notice.py CSV OUT.pdf"""
import os
import shutil
import sys
import tempfile

import typst

TEMPLATE = r'''
#set page(paper: "a4", margin: 0mm)
#set text(font: "IPAmjMincho", size: 10pt, lang: "ja")
#let rows = csv("data.csv", row-type: dictionary)
#let yen(v) = {
  let s = str(int(v))
  let out = ""
  let n = s.len()
  for (i, ch) in s.clusters().enumerate() {
    if i > 0 and calc.rem(n - i, 3) == 0 { out += "," }
    out += ch
  }
  "￥" + out
}
#let at(x, y, body) = place(top + left, dx: x * 1mm, dy: y * 1mm, body)
#for (i, r) in rows.enumerate() {
  if i > 0 { pagebreak() }
  at(20, 16, text(font: "IPAexGothic", size: 15pt)[令和8年度 市民税・県民税 税額決定・納税通知書])
  at(140, 28, [夜鷹市長　夜鷹　太郎])
  at(18, 38, rect(width: 92mm, height: 38mm, radius: 2mm, stroke: 0.2mm))
  at(118, 40, rect(width: 75mm, height: 16mm, stroke: 0.2mm))
  at(120, 43, text(font: "IPAexGothic", size: 8pt)[通知書番号])
  at(18, 90, rect(width: 175mm, height: 8mm, fill: luma(88%), stroke: none))
  at(18, 90, rect(width: 175mm, height: 48mm, stroke: 0.3mm))
  for yy in (98, 106, 114, 122, 130) { at(18, yy, line(length: 175mm, stroke: 0.2mm)) }
  at(100, 90, line(angle: 90deg, length: 48mm, stroke: 0.2mm))
  at(22, 100, [総所得金額])
  at(22, 108, [課税標準額])
  at(22, 116, [所得割額])
  at(22, 124, [均等割額（森林環境税を含む）])
  at(22, 132, text(font: "IPAexGothic")[年税額])
  at(18, 147, text(size: 8pt)[この通知書の内容について不明な点は、夜鷹市役所 市民税課（電話 0120-000-000）へお問い合わせください。])
  at(10, 196, line(length: 190mm, stroke: (thickness: 0.3mm, dash: "dashed")))
  at(20, 203, text(font: "IPAexGothic", size: 12pt)[市民税・県民税 納付書（第1期）])
  at(18, 212, rect(width: 175mm, height: 70mm, stroke: 0.3mm))
  at(120, 217, text(size: 9pt)[納期限　令和8年6月30日])
  at(22, 42, text(size: 11pt)[〒#r.postal_code])
  at(22, 49, text(size: 11pt)[#r.address])
  at(22, 61, text(size: 16pt)[#r.name　様])
  at(120, 48, box(width: 70mm, align(center, text(size: 12pt)[#r.taxpayer_id])))
  for (col, yy) in (("income", 100), ("taxable", 108), ("income_levy", 116), ("per_capita", 124), ("total", 132)) {
    at(104, yy, box(width: 84mm, align(right, text(size: 11pt, yen(r.at(col))))))
  }
  at(64, 217, text(size: 11pt)[#r.taxpayer_id])
  at(64, 231, text(size: 11pt)[#r.name　様])
  at(64, 245, text(font: "IPAexGothic", size: 13pt, yen(r.total)))
}
'''


def main(src, out):
    work = tempfile.mkdtemp(prefix="typst-notice-")
    try:
        shutil.copy(src, os.path.join(work, "data.csv"))
        main_file = os.path.join(work, "notice.typ")
        with open(main_file, "w", encoding="utf-8") as f:
            f.write(TEMPLATE)
        typst.compile(main_file, output=out, root=work,
                      font_paths=["/usr/share/fonts/truetype/ipamj", "/usr/share/fonts/opentype/ipaexfont-gothic",
                                  "/usr/share/fonts/opentype/ipaexfont-mincho"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
