/* The network map: every twinned city as a dot, lines from a chosen city to its partners,
 * filters by country and status.
 *
 * With about 18,000 cities and 26,000 lines everything is drawn on one canvas (circle markers,
 * preferCanvas), and "all lines" is a single polyline per status rather than 26,000 layers.
 */
(function () {
  "use strict";

  var element = document.getElementById("network-map");
  if (!element) return;
  var strings = JSON.parse(document.getElementById("map-strings").textContent);
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var statusLine = document.getElementById("map-status");
  var cityInput = document.getElementById("map-city");
  var countrySelect = document.getElementById("map-country");
  var allLinesBox = document.getElementById("map-all-lines");
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll("#map-filters input[name=status]"));
  var panelTitle = document.getElementById("map-panel-title");
  var panelLinks = document.getElementById("map-panel-links");
  var partnerList = document.getElementById("map-partners");

  var map = L.map(element, {preferCanvas: true, worldCopyJump: true, minZoom: 2, zoomSnap: 0.5}).setView([48, 30], 3);
  TwinningBasemap.add(map);
  var renderer = L.canvas({padding: 0.5});
  var markersLayer = L.featureGroup().addTo(map);
  var allLinesLayer = L.layerGroup().addTo(map);
  var partnerLayer = L.layerGroup().addTo(map);

  var data = null;
  var markers = [];
  var linksOf = []; // city index -> indexes into data.links
  var statusBits = []; // city index -> bit mask of the statuses of its twinnings
  var indexOfSlug = {};
  var selected = -1;
  var partnerLines = 0;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) { return values[key]; });
  }

  function chosenStatusMask() {
    var mask = 0;
    statusBoxes.forEach(function (box) {
      if (box.checked) mask |= 1 << data.statuses.indexOf(box.value);
    });
    return mask;
  }

  function cityUrl(index) {
    return data.cityUrl.replace("SLUG", encodeURIComponent(data.cities[index][4]));
  }

  function twinningUrl(link) {
    return data.twinningUrl
      .replace("SLUG_A", encodeURIComponent(data.cities[link[0]][4]))
      .replace("SLUG_B", encodeURIComponent(data.cities[link[1]][4]));
  }

  function countryName(code) {
    return data.countries[code] || code;
  }

  function inCountry(index) {
    return !countrySelect.value || data.cities[index][3] === countrySelect.value;
  }

  function init(payload) {
    data = payload;
    data.cities.forEach(function (city, index) {
      linksOf.push([]);
      statusBits.push(0);
      indexOfSlug[city[4]] = index;
      var marker = L.circleMarker([city[1], city[2]], {
        renderer: renderer, radius: 3, weight: 1, color: "#0b3d91", fillColor: "#3d7be0", fillOpacity: 0.75,
      });
      marker.cityIndex = index;
      markers.push(marker);
    });
    data.links.forEach(function (link, number) {
      linksOf[link[0]].push(number);
      linksOf[link[1]].push(number);
      statusBits[link[0]] |= 1 << link[2];
      statusBits[link[1]] |= 1 << link[2];
    });
    markersLayer.on("click", function (event) { selectCity(event.layer.cityIndex, true); });
    markersLayer.on("mouseover", function (event) {
      var marker = event.layer;
      if (!marker.getTooltip()) marker.bindTooltip(data.cities[marker.cityIndex][0]);
      marker.openTooltip();
    });

    Object.keys(data.countries)
      .sort(function (a, b) { return countryName(a).localeCompare(countryName(b)); })
      .forEach(function (code) {
        var option = document.createElement("option");
        option.value = code;
        option.textContent = countryName(code);
        countrySelect.appendChild(option);
      });
    countrySelect.disabled = false;
    cityInput.disabled = false;
    countrySelect.addEventListener("change", function () { applyFilters(true); });
    statusBoxes.forEach(function (box) { box.addEventListener("change", function () { applyFilters(false); }); });
    allLinesBox.addEventListener("change", function () { applyFilters(false); });
    Combobox(cityInput, {
      source: findCities,
      minLength: 1,
      delay: 0,
      onChoose: function (item) { selectCity(item.index, false); },
      onEnter: function (text) {
        var found = findCities(text);
        if (found.length) selectCity(found[0].index, false);
      },
    });
    applyFilters(false);

    var wanted = element.getAttribute("data-selected-slug");
    if (wanted) {
      if (wanted in indexOfSlug) selectCity(indexOfSlug[wanted], false);
      else statusLine.textContent = strings.notFound;
    }
    element.setAttribute("data-ready", "true");
  }

  /* Cities whose name starts with `text` (then those containing it), most partners first. */
  function findCities(text) {
    var needle = text.toLowerCase();
    var starts = [];
    var contains = [];
    data.cities.forEach(function (city, index) {
      var position = city[0].toLowerCase().indexOf(needle);
      if (position === 0) starts.push(index);
      else if (position > 0) contains.push(index);
    });
    var byPartners = function (a, b) { return linksOf[b].length - linksOf[a].length; };
    return starts.sort(byPartners).concat(contains.sort(byPartners)).slice(0, 10).map(function (index) {
      return {index: index, label: data.cities[index][0], detail: countryName(data.cities[index][3])};
    });
  }

  function applyFilters(fitToCountry) {
    var mask = chosenStatusMask();
    var visible = [];
    markersLayer.clearLayers();
    markers.forEach(function (marker, index) {
      if (statusBits[index] & mask && inCountry(index)) {
        markersLayer.addLayer(marker);
        visible.push(marker.getLatLng());
      }
    });
    var shownLinks = drawAllLines(mask);
    statusLine.textContent = format(strings.shown, {
      cities: visible.length.toLocaleString(), links: shownLinks.toLocaleString(),
    });
    if (fitToCountry && countrySelect.value && visible.length) {
      map.fitBounds(L.latLngBounds(visible), {padding: [20, 20], maxZoom: 7});
    }
    if (selected >= 0) selectCity(selected, false, true);
  }

  /* Every line matching the filters, counted; drawn only when "all lines" is ticked. */
  function drawAllLines(mask) {
    allLinesLayer.clearLayers();
    var segments = data.statuses.map(function () { return []; });
    var count = 0;
    data.links.forEach(function (link) {
      if (!(mask & (1 << link[2])) || !(inCountry(link[0]) || inCountry(link[1]))) return;
      count++;
      if (!allLinesBox.checked) return;
      var a = data.cities[link[0]];
      var b = data.cities[link[1]];
      segments[link[2]].push([[a[1], a[2]], [b[1], TwinningBasemap.nearLng(b[2], a[2])]]);
    });
    segments.forEach(function (lines, status) {
      if (!lines.length) return;
      var style = L.extend({}, TwinningBasemap.statusStyle(data.statuses[status]), {
        renderer: renderer, interactive: false, weight: 0.6, opacity: 0.35, dashArray: null,
      });
      L.polyline(lines, style).addTo(allLinesLayer);
    });
    return count;
  }

  function selectCity(index, fromMap, keepView) {
    selected = index;
    partnerLayer.clearLayers();
    var mask = chosenStatusMask();
    var city = data.cities[index];
    var here = [city[1], city[2]];
    var partners = [];
    linksOf[index].forEach(function (number) {
      var link = data.links[number];
      if (!(mask & (1 << link[2]))) return;
      partners.push({index: link[0] === index ? link[1] : link[0], link: link});
    });
    partners.sort(function (a, b) { return data.cities[a.index][0].localeCompare(data.cities[b.index][0]); });

    var points = [here];
    partners.forEach(function (partner) {
      var other = data.cities[partner.index];
      var there = [other[1], TwinningBasemap.nearLng(other[2], here[1])];
      points.push(there);
      var style = L.extend({renderer: renderer, interactive: false}, TwinningBasemap.statusStyle(data.statuses[partner.link[2]]));
      L.polyline([here, there], style).addTo(partnerLayer);
      var dot = L.circleMarker(there, {renderer: renderer, radius: 5, weight: 2, color: "#0b3d91", fillColor: "#ffffff", fillOpacity: 1});
      dot.bindTooltip(other[0]);
      dot.on("click", function () { selectCity(partner.index, true); });
      dot.addTo(partnerLayer);
    });
    L.circleMarker(here, {renderer: renderer, radius: 8, weight: 3, color: "#c8102e", fillColor: "#ffffff", fillOpacity: 1})
      .bindTooltip(city[0])
      .addTo(partnerLayer);
    partnerLines = partners.length;
    element.setAttribute("data-partner-lines", String(partnerLines));
    element.setAttribute("data-selected-slug", city[4]);

    renderPanel(index, partners);
    if (!fromMap) cityInput.value = city[0];
    if (!keepView) {
      if (points.length > 1) map.fitBounds(L.latLngBounds(points), {padding: [30, 30], maxZoom: 6});
      else map.setView(here, Math.max(map.getZoom(), 5));
    }
  }

  function renderPanel(index, partners) {
    var city = data.cities[index];
    panelTitle.textContent = city[0] + " (" + countryName(city[3]) + ")";
    panelLinks.textContent = "";
    var pageLink = document.createElement("a");
    pageLink.href = cityUrl(index);
    pageLink.textContent = strings.cityPage;
    panelLinks.appendChild(pageLink);
    partnerList.textContent = "";
    if (!partners.length) {
      var none = document.createElement("li");
      none.textContent = strings.noPartners;
      partnerList.appendChild(none);
      return;
    }
    partners.forEach(function (partner) {
      var other = data.cities[partner.index];
      var item = document.createElement("li");
      item.className = "partner-list__item status-" + data.statuses[partner.link[2]];
      var link = document.createElement("a");
      link.href = twinningUrl(partner.link);
      link.textContent = other[0];
      item.appendChild(link);
      var detail = document.createElement("span");
      detail.className = "muted";
      detail.textContent = " " + countryName(other[3]) + " · ";
      item.appendChild(detail);
      var badge = document.createElement("span");
      badge.className = "badge badge--" + data.statuses[partner.link[2]];
      badge.textContent = data.statusLabels[partner.link[2]];
      item.appendChild(badge);
      partnerList.appendChild(item);
    });
  }

  window.twinningMap = {
    map: map,
    selectCity: function (slug) {
      if (!(slug in indexOfSlug)) return false;
      selectCity(indexOfSlug[slug], false);
      return true;
    },
    partnerLineCount: function () { return partnerLines; },
    visibleMarkerCount: function () { return markersLayer.getLayers().length; },
  };

  fetch(config.dataUrl, {headers: {Accept: "application/json"}})
    .then(function (response) {
      if (!response.ok) throw new Error(response.statusText);
      return response.json();
    })
    .then(init)
    .catch(function () { statusLine.textContent = strings.loadFailed; });
})();
