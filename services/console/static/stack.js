// On a phone a table's rows become stacked cards: each cell is labelled with its column's
// heading, then the table is marked "stacked" for console.css. Without this script the table
// scrolls sideways in its frame instead.
(function () {
  document.querySelectorAll(".scroll > table").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        // a cell across the whole row ("尚无记录。") belongs to no column
        if (heads[i] && cell.colSpan < 2) cell.dataset.label = heads[i];
      });
    });
    table.classList.add("stacked");
  });
})();

// On a phone the menu is one row that scrolls sideways (console.css): show the current page.
(function () {
  var here = document.querySelector(".top nav a.here");
  var nav = here && here.parentElement;
  if (nav && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = here.offsetLeft - (nav.clientWidth - here.offsetWidth) / 2;
  }
})();
