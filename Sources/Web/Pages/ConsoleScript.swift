/// The console's one script, served from `/static/console.js` (the pages' CSP allows only scripts of
/// this origin, none inline). The pages are complete without it; it only adds what moves:
/// - a page with a `#live` part (Tonight): on each `change` event of the part's stream it fetches the
///   page again and swaps the part in; it also refreshes once a minute so the "now" line moves;
/// - a job page whose attempt is running (`#log` with `data-follow="1"`): it asks for the log's new
///   bytes every two seconds from the offset it has and appends them, keeping the view at the bottom
///   when the reader was there.
enum ConsoleScript {
    static let source = """
        (function () {
          "use strict";
          var live = document.getElementById("live");
          if (live && window.EventSource && window.fetch && window.DOMParser) followPage(live);
          var log = document.getElementById("log");
          if (log && log.dataset.follow === "1" && window.fetch && window.TextDecoder) followLog(log);

          function followPage(live) {
            var busy = false, again = false;
            function refresh() {
              if (busy) { again = true; return; }
              busy = true;
              fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
                .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.text(); })
                .then(function (text) {
                  var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("live");
                  if (fresh) {
                    live.innerHTML = fresh.innerHTML;
                    live.setAttribute("data-token", fresh.getAttribute("data-token") || "");
                    document.documentElement.setAttribute("data-refreshed", String(Date.now()));
                  }
                })
                .catch(function () { /* the next event or minute tries again */ })
                .then(function () { busy = false; if (again) { again = false; refresh(); } });
            }
            var url = live.getAttribute("data-events");
            var token = live.getAttribute("data-token");
            if (url) {
              var source = new EventSource(url + (token ? (url.indexOf("?") < 0 ? "?" : "&") + "since=" + encodeURIComponent(token) : ""));
              // Once now, and once more a little later: the server may answer the first with the view it
              // had while it walks the new one.
              var later = null;
              source.addEventListener("change", function () {
                refresh();
                clearTimeout(later);
                later = setTimeout(refresh, 2500);
              });
            }
            setInterval(refresh, 60000);
          }

          function followLog(pre) {
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
          }
        })();
        """
}
