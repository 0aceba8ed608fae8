// Live updates: a page marked data-live="reload" reloads itself when the site's desk changes; every
// page shows a banner when a notice reaches the person's role, kept across those reloads and the
// next pages (this tab's sessionStorage) until the person opens 通知. The one other script,
// stack.js, lays tables out for a phone.
(function () {
  var KEPT = "propdesk-live-banner";
  var banner = document.getElementById("live-banner");
  function show(text) {
    if (!banner) return;
    banner.textContent = "";
    var link = document.createElement("a");
    link.href = "/notices";
    link.textContent = "新通知：" + text + "（请到“通知”确认）";
    banner.appendChild(link);
    banner.hidden = false;
  }
  if (!document.body.dataset.signedIn) return;
  if (window.location.pathname === "/notices") {
    sessionStorage.removeItem(KEPT);
  } else if (sessionStorage.getItem(KEPT)) {
    show(sessionStorage.getItem(KEPT));
  }
  if (!window.EventSource) return;
  var source = new EventSource("/live");
  var pending = null;
  source.addEventListener("changed", function () {
    if (document.body.dataset.live !== "reload" || pending) return;
    pending = setTimeout(function () { window.location.reload(); }, 500);
  });
  source.addEventListener("notice", function (e) {
    var data = JSON.parse(e.data);
    var text = data.said || data.ticket_no || "";
    sessionStorage.setItem(KEPT, text);
    show(text);
    if (document.body.dataset.live === "reload" && !pending) {
      pending = setTimeout(function () { window.location.reload(); }, 500);
    }
  });
})();
