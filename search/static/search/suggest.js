/* As-you-type suggestions for every search field marked data-suggest (and the header's
   #site-search): words from published titles, by Chinese, pinyin or initials, and departments. */
(function () {
  "use strict";
  var ENDPOINT = "/api/search/suggest/";

  function attach(input) {
    if (!input || input.dataset.suggestReady) { return; }
    input.dataset.suggestReady = "1";
    var list = document.createElement("ul");
    var listId = "suggest-" + Math.random().toString(36).slice(2);
    list.className = "suggest-list";
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    document.body.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    var timer = null, items = [], active = -1, lastQuery = "";

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function place() {
      var box = input.getBoundingClientRect();
      list.style.left = (box.left + window.scrollX) + "px";
      list.style.top = (box.bottom + window.scrollY) + "px";
      list.style.width = box.width + "px";
    }
    function choose(item) {
      if (item.kind === "department" && item.url) { window.location.href = item.url; return; }
      input.value = item.text;
      close();
      if (input.form) { input.form.submit(); }
    }
    function render() {
      list.innerHTML = "";
      items.forEach(function (item, position) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = listId + "-" + position;
        li.textContent = item.text;
        if (item.kind === "department") {
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = "单位网站";
          li.appendChild(kind);
        }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      if (items.length) { place(); list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { close(); }
    }
    function highlight(position) {
      active = position;
      Array.prototype.forEach.call(list.children, function (li, index) {
        li.setAttribute("aria-selected", index === position ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", position >= 0 ? listId + "-" + position : "");
    }
    function fetchSuggestions() {
      var query = input.value.trim();
      if (!query) { items = []; render(); return; }
      if (query === lastQuery) { return; }
      lastQuery = query;
      fetch(ENDPOINT + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value.trim() !== query) { return; }
          items = data.suggestions || [];
          render();
        })
        .catch(function () { items = []; render(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 150); });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(items.length - 1, active + 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(-1, active - 1)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function init() {
    attach(document.getElementById("site-search"));
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), attach);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
