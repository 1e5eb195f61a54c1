// A search box in front of long selects (the country of a supplier): typing narrows the
// options to those whose name contains the text. Without JavaScript the select works as is.
(function () {
  "use strict";
  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function enhance(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 select-search";
    box.placeholder = "Type to find…";
    box.setAttribute("aria-label", "Type to narrow the list below");
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = normalise(box.value.trim());
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var shown = !wanted || option.value === "" || normalise(option.text).indexOf(wanted) !== -1;
        option.hidden = !shown;
        if (shown && option.value !== "" && first === null) { first = option; }
      });
      if (wanted && first && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        select.value = first.value;
      }
    });
  }
  document.querySelectorAll("select[data-searchable]").forEach(enhance);
})();
