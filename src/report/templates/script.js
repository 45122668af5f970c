// The page's behaviour, offline: sortable tables, the filters (district, fiscal year,
// evaluator type, scope) and the one-unit view (?only=<anchor>). Errors are recorded on the
// body so that a headless browser can report them.
(function () {
  window.onerror = function (m) { document.body.setAttribute('data-js-error', String(m)); };
  document.querySelectorAll('table.sortable').forEach(function (t) {
    t.querySelectorAll('th').forEach(function (th, col) {
      th.addEventListener('click', function () {
        var tb = t.tBodies[0], rows = Array.prototype.slice.call(tb.rows),
          asc = th.getAttribute('data-asc') !== '1';
        rows.sort(function (a, b) {
          var x = a.cells[col].textContent, y = b.cells[col].textContent,
            nx = parseFloat(x.replace(/[^0-9.+\-−]/g, '').replace('−', '-')),
            ny = parseFloat(y.replace(/[^0-9.+\-−]/g, '').replace('−', '-'));
          var r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, 'zh');
          return asc ? r : -r;
        });
        rows.forEach(function (r) { tb.appendChild(r); });
        th.setAttribute('data-asc', asc ? '1' : '0');
      });
    });
  });
  // An element carries data-district / data-year / data-evaluator / data-scope; it is shown
  // when every chosen filter matches its attribute (an element without the attribute is
  // not narrowed by that filter). "independent" is every evaluator type but self (自评).
  function matches(el, f) {
    for (var k in f) {
      if (!f[k]) continue;
      var v = el.getAttribute('data-' + k);
      if (v === null) continue;
      if (k === 'evaluator' && f[k] === 'independent') { if (v === 'self') return false; continue; }
      if (v !== f[k]) return false;
    }
    return true;
  }
  document.querySelectorAll('form.filters').forEach(function (bar) {
    var part = document.getElementById(bar.getAttribute('data-for'));
    var selects = bar.querySelectorAll('select[data-filter]');
    function apply() {
      var f = {};
      selects.forEach(function (s) { f[s.getAttribute('data-filter')] = s.value; });
      part.querySelectorAll('tbody tr').forEach(function (tr) { tr.hidden = !matches(tr, f); });
      part.querySelectorAll('.unit, .unit-index li').forEach(function (u) { u.hidden = !matches(u, f); });
      var rows = part.querySelectorAll('.overview tbody tr'), shown = 0;
      rows.forEach(function (tr) { if (!tr.hidden) shown++; });
      var units = 0;
      part.querySelectorAll('.unit').forEach(function (u) { if (!u.hidden) units++; });
      bar.querySelector('.count').textContent =
        '单位总览显示 ' + shown + ' / ' + rows.length + ' 行，单位画像 ' + units + ' 个';
      bar.setAttribute('data-shown', String(shown));
      bar.setAttribute('data-units', String(units));
    }
    selects.forEach(function (s) { s.addEventListener('change', apply); });
    bar.querySelector('.reset').addEventListener('click', function () {
      selects.forEach(function (s) { s.value = ''; });
      apply();
    });
    apply();
  });
  var only = new URLSearchParams(location.search).get('only');
  if (only) {
    var el = document.getElementById(only);
    if (el) {
      document.body.classList.add('only');
      el.classList.add('only-shown');
      el.hidden = false;
      var p = el.closest('.part');
      if (p) p.classList.add('only-part');
    }
  }
  document.querySelectorAll('button[data-only]').forEach(function (b) {
    b.addEventListener('click', function () {
      location.search = '?only=' + encodeURIComponent(b.getAttribute('data-only'));
    });
  });
  document.body.setAttribute('data-js', 'ok');
})();
