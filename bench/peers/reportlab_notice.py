"""The resident-tax notice rendered by ReportLab, for comparison: the static layer is drawn once as a
form XObject (ReportLab's fast path), fields are drawn per record, with the two codes ReportLab can
draw: the eL-QR (QR, level M) and the 44-digit payment code as Code 128. ReportLab has no Japan Post
customer barcode, so that one is left out. Usage: reportlab_notice.py CSV OUT.pdf"""
import csv
import sys

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import code128, qr
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

pdfmetrics.registerFont(TTFont("Mincho", "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"))
pdfmetrics.registerFont(TTFont("Gothic", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"))
W, H = 210 * mm, 297 * mm


def y(v):
    return H - v * mm


def text(c, s, x, yy, font, size, align="left", box=0):
    c.setFont(font, size)
    if align == "right":
        c.drawRightString((x + box) * mm, y(yy), s)
    elif align == "center":
        c.drawCentredString((x + box / 2) * mm, y(yy), s)
    else:
        c.drawString(x * mm, y(yy), s)


def static(c):
    text(c, "令和8年度 市民税・県民税 税額決定・納税通知書", 20, 22, "Gothic", 15)
    text(c, "夜鷹市長　夜鷹　太郎", 140, 32, "Mincho", 10)
    c.setLineWidth(0.2 * mm)
    c.roundRect(18 * mm, y(76), 92 * mm, 38 * mm, 2 * mm)
    c.rect(118 * mm, y(56), 75 * mm, 16 * mm)
    text(c, "通知書番号", 120, 46, "Gothic", 8)
    c.setFillGray(0.88)
    c.rect(18 * mm, y(98), 175 * mm, 8 * mm, stroke=0, fill=1)
    c.setFillGray(0)
    c.rect(18 * mm, y(138), 175 * mm, 48 * mm)
    for yy in (98, 106, 114, 122, 130):
        c.line(18 * mm, y(yy), 193 * mm, y(yy))
    c.line(100 * mm, y(90), 100 * mm, y(138))
    for label, yy in (("総所得金額", 103.5), ("課税標準額", 111.5), ("所得割額", 119.5), ("均等割額（森林環境税を含む）", 127.5), ("年税額", 135.5)):
        text(c, label, 22, yy, "Mincho", 10)
    text(c, "この通知書の内容について不明な点は、夜鷹市役所 市民税課（電話 0120-000-000）へお問い合わせください。", 18, 150, "Mincho", 8)
    c.setDash(2 * mm, 1.5 * mm)
    c.line(10 * mm, y(196), 200 * mm, y(196))
    c.setDash()
    text(c, "市民税・県民税 納付書（第1期）", 20, 208, "Gothic", 12)
    c.rect(18 * mm, y(282), 175 * mm, 70 * mm)
    text(c, "納期限　令和8年6月30日", 120, 220.5, "Mincho", 9)


def yen(v):
    return "￥{:,}".format(int(v))


def codes(c, r):
    side = 24 * mm
    w = qr.QrCodeWidget(r["el_qr"], barLevel="M")
    x0, y0, x1, y1 = w.getBounds()
    d = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    d.add(w)
    renderPDF.draw(d, c, 160 * mm, y(276))
    digits = "91" + "123456" + r["taxpayer_id"][1:].rjust(21, "0") + "0" + "260630" + "0" + r["total"].rjust(6, "0")[-6:] + "0"
    code128.Code128(digits, barHeight=10 * mm, barWidth=0.25 * mm).drawOn(c, 22 * mm, y(272))


def main(src, out):
    c = canvas.Canvas(out, pagesize=(W, H))
    c.beginForm("static")
    static(c)
    c.endForm()
    with open(src, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            c.doForm("static")
            pc = r["postal_code"]
            text(c, "〒" + pc, 22, 45.5, "Mincho", 11)
            text(c, r["address"], 22, 53, "Mincho", 11)
            text(c, r["name"] + "　様", 22, 67, "Mincho", 16)
            text(c, r["taxpayer_id"], 120, 53, "Mincho", 12, "center", 70)
            for col, yy in (("income", 103.5), ("taxable", 111.5), ("income_levy", 119.5), ("per_capita", 127.5), ("total", 135.5)):
                text(c, yen(r[col]), 104, yy, "Mincho", 11, "right", 84)
            text(c, r["taxpayer_id"], 64, 220.5, "Mincho", 11)
            text(c, r["name"] + "　様", 64, 234.5, "Mincho", 11)
            text(c, yen(r["total"]), 64, 248.5, "Gothic", 13)
            codes(c, r)
            c.showPage()
    c.save()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
