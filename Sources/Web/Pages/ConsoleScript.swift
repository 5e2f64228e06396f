/// The console's only script: on a job page whose attempt is running, it asks for the log's new bytes
/// every two seconds (from the offset it has) and appends them, keeping the view at the bottom when
/// the reader was there. Without it the page shows the log's end and a reload link.
enum ConsoleScript {
    static let text = """
        "use strict";
        (function () {
          var pre = document.getElementById("log");
          if (!pre || pre.dataset.follow !== "1") return;
          var offset = Number(pre.dataset.offset) || 0, url = pre.dataset.tail, decoder = new TextDecoder("utf-8");
          var note = document.getElementById("log-follow"), empty = document.getElementById("log-empty");
          function poll() {
            fetch(url + "?from=" + offset, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
              if (!r.ok) throw new Error(String(r.status));
              var next = Number(r.headers.get("X-Log-Next")), running = r.headers.get("X-Log-Running") === "true";
              return r.arrayBuffer().then(function (buf) {
                var atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
                if (buf.byteLength > 0) {
                  pre.appendChild(document.createTextNode(decoder.decode(buf, { stream: true })));
                  if (empty) { empty.remove(); empty = null; }
                  if (atBottom) pre.scrollTop = pre.scrollHeight;
                }
                if (!isNaN(next)) offset = next;
                pre.dataset.offset = String(offset);
                if (running || buf.byteLength > 0) setTimeout(poll, 2000);
                else if (note) note.textContent = note.textContent.replace(/\\s*$/, "") + " ✓";
              });
            }).catch(function () { setTimeout(poll, 5000); });
          }
          pre.scrollTop = pre.scrollHeight;
          setTimeout(poll, 1000);
        })();
        """
}
