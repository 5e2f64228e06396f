/// The console's one script, served from `/static/console.js` (the pages' CSP allows only scripts of
/// this origin, none inline). It only adds live updates: the pages are complete without it. On each
/// `change` event of the page's stream it fetches the page again and swaps in its `#live` part; it
/// also refreshes once a minute so the "now" line moves on a quiet night.
enum ConsoleScript {
    static let source = """
        (function () {
          "use strict";
          var live = document.getElementById("live");
          if (!live || !window.EventSource || !window.fetch || !window.DOMParser) return;
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
        })();
        """
}
