// Live updates: a page marked data-live="reload" reloads itself when the site's desk changes; every
// page shows a banner when a notice reaches the person's role. The one other script, stack.js,
// lays tables out for a phone.
(function () {
  if (!window.EventSource || !document.body.dataset.signedIn) return;
  var source = new EventSource("/live");
  var pending = null;
  source.addEventListener("changed", function () {
    if (document.body.dataset.live !== "reload" || pending) return;
    pending = setTimeout(function () { window.location.reload(); }, 500);
  });
  source.addEventListener("notice", function (e) {
    var data = JSON.parse(e.data);
    var banner = document.getElementById("live-banner");
    banner.textContent = "新通知：" + (data.said || data.ticket_no || "") + "（请到“通知”确认）";
    banner.hidden = false;
    if (document.body.dataset.live === "reload" && !pending) {
      pending = setTimeout(function () { window.location.reload(); }, 500);
    }
  });
})();
