// Live updates: a page marked data-live="reload" reloads itself when the site's desk changes; every
// page shows a banner when a notice reaches the person's role, kept across those reloads and the
// next pages (this tab's sessionStorage) until the person opens 通知, or until the notice is owed
// no more: each page (and a page that stays, on each change at the desk) asks /live/owed which of
// the kept notices nobody has acknowledged and have not ended, and forgets the others. The one
// other script, stack.js, lays tables out for a phone.
(function () {
  var KEPT = "propdesk-live-banner";
  var MOST = 20; // the newest kept: what /live/owed checks
  var banner = document.getElementById("live-banner");
  function kept() {
    // [{id, no, said}], newest last; a banner kept by an earlier console is its text alone
    var raw = sessionStorage.getItem(KEPT);
    if (!raw) return [];
    try {
      var found = JSON.parse(raw);
      if (Array.isArray(found)) return found;
    } catch (e) { /* the text of an earlier console's banner */ }
    return [{ id: null, no: null, said: raw }];
  }
  function keep(notices) {
    notices = notices.slice(-MOST);
    if (notices.length) sessionStorage.setItem(KEPT, JSON.stringify(notices));
    else sessionStorage.removeItem(KEPT);
    show(notices);
  }
  function show(notices) {
    if (!banner) return;
    banner.textContent = "";
    banner.hidden = !notices.length;
    if (!notices.length) return;
    var link = document.createElement("a");
    link.href = "/notices";
    var more = notices.length > 1 ? "（另有 " + (notices.length - 1) + " 条）" : "";
    link.textContent = "新通知：" + notices[notices.length - 1].said + more + "（请到“通知”确认）";
    banner.appendChild(link);
  }
  var checking = false, again = false;
  function check() {
    // forget the kept notices owed no more (acknowledged, in this tab or another, or ended)
    var notices = kept().filter(function (n) { return n.id && n.no; });
    if (!notices.length || !window.fetch) return;
    if (checking) { again = true; return; } // once more when this answer is in
    checking = true;
    var query = notices.map(function (n) {
      return "id=" + encodeURIComponent(n.id) + "&no=" + encodeURIComponent(n.no);
    }).join("&");
    fetch("/live/owed?" + query, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (found) {
        checking = false;
        if (again) { again = false; setTimeout(check, 0); }
        if (!found) return;
        var asked = {}, owed = {};
        notices.forEach(function (n) { asked[n.id] = true; });
        found.owed.forEach(function (id) { owed[id] = true; });
        // one heard while the answer came was not asked about: it stays
        keep(kept().filter(function (n) { return !asked[n.id] || owed[n.id]; }));
      })
      .catch(function () { checking = false; });
  }
  if (!document.body.dataset.signedIn) return;
  if (window.location.pathname === "/notices") {
    sessionStorage.removeItem(KEPT);
  } else {
    show(kept());
    check();
  }
  if (!window.EventSource) return;
  var source = new EventSource("/live");
  var pending = null;
  source.addEventListener("changed", function () {
    if (document.body.dataset.live === "reload") {
      if (!pending) pending = setTimeout(function () { window.location.reload(); }, 500);
      return;
    }
    if (window.location.pathname !== "/notices") check(); // an end or an acknowledgement?
  });
  source.addEventListener("notice", function (e) {
    var data = JSON.parse(e.data);
    var said = data.said || data.ticket_no || "";
    var notices = kept().filter(function (n) {
      return !data.notification_id || n.id !== data.notification_id;
    });
    notices.push({ id: data.notification_id || null, no: data.ticket_no || null, said: said });
    keep(notices);
    if (document.body.dataset.live === "reload" && !pending) {
      pending = setTimeout(function () { window.location.reload(); }, 500);
    }
  });
})();
