/* An accessible combobox (WAI-ARIA 1.2 pattern): suggestions as a listbox, arrow keys to move,
 * Enter to choose, Escape to close. Used by the site's search boxes (suggestions from the server)
 * and by the map's city finder (suggestions from the loaded map data).
 *
 *   Combobox(input, {source: async (text) => [{label, detail, url, ...}], onChoose: (item) => ...})
 */
(function () {
  "use strict";

  function Combobox(input, options) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var items = [];
    var active = -1;
    var requestNumber = 0;
    var timer = null;
    var minLength = options.minLength || 2;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function render() {
      list.textContent = "";
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", index === active ? "true" : "false");
        option.className = "combobox__option" + (index === active ? " is-active" : "");
        var label = document.createElement("span");
        label.className = "combobox__label";
        label.textContent = item.label;
        option.appendChild(label);
        var detailText = [item.matched, item.detail].filter(Boolean).join(" · ");
        if (detailText) {
          var detail = document.createElement("span");
          detail.className = "combobox__detail";
          detail.textContent = detailText;
          option.appendChild(detail);
        }
        // mousedown, not click: a click would first blur the input and close the list.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        list.appendChild(option);
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", list.id + "-" + active);
        var current = document.getElementById(list.id + "-" + active);
        if (current && current.scrollIntoView) current.scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      close();
      options.onChoose(item, input);
    }

    function update() {
      var text = input.value.trim();
      if (text.length < minLength) {
        items = [];
        close();
        return;
      }
      var number = ++requestNumber;
      Promise.resolve(options.source(text)).then(function (found) {
        if (number !== requestNumber) return; // an older answer arriving late
        items = found || [];
        active = -1;
        render();
      }).catch(function () {
        items = [];
        close();
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, options.delay === undefined ? 150 : options.delay);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!items.length) return;
        event.preventDefault();
        if (list.hidden) {
          active = event.key === "ArrowDown" ? 0 : items.length - 1;
        } else if (event.key === "ArrowDown") {
          active = active + 1 >= items.length ? 0 : active + 1;
        } else {
          active = active - 1 < 0 ? items.length - 1 : active - 1;
        }
        render();
      } else if (event.key === "Enter") {
        if (active >= 0 && !list.hidden) {
          event.preventDefault();
          choose(active);
        } else if (options.onEnter) {
          event.preventDefault();
          options.onEnter(input.value.trim(), items);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
    return {close: close, update: update};
  }

  window.Combobox = Combobox;

  function remoteSource(url) {
    return function (text) {
      return fetch(url + "?q=" + encodeURIComponent(text), {headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { return data.results; });
    };
  }

  document.querySelectorAll("input[data-autocomplete-url]").forEach(function (input) {
    Combobox(input, {
      source: remoteSource(input.getAttribute("data-autocomplete-url")),
      onChoose: function (item) { window.location.assign(item.url); },
    });
  });
})();
