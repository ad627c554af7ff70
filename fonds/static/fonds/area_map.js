// The map of the eligible area (Leaflet, self-hosted). An enhancement only: the text above it says whether the
// point lies in the area, and on the form the two labelled fields are the keyboard way to set the point. Without
// JavaScript the map stays hidden. Tiles only when the server names a tile source (FONDSFLOW_MAP_TILES).
(function () {
  "use strict";
  var en = document.documentElement.lang === "en";
  var FALLBACK = [51.6607, 6.9655];  // Dorsten, Markt: only when there is neither an area nor a point

  function say(de, english) { return en ? english : de; }

  function number(text) {
    text = (text || "").trim().replace(",", ".");
    if (!text) return null;
    var value = Number(text);
    return isFinite(value) ? value : null;
  }

  function shown(value) {
    var text = value.toFixed(6);
    return en ? text : text.replace(".", ",");
  }

  // Titles go in as text, never as HTML: they are what applicants typed.
  function pointsLayer(collection) {
    return L.geoJSON(collection, {
      pointToLayer: function (feature, latlng) {
        return L.marker(latlng, {keyboard: false, alt: feature.properties.title || ""});
      },
      onEachFeature: function (feature, layer) {
        var box = document.createElement("div");
        var title = document.createElement(feature.properties.url ? "a" : "strong");
        title.textContent = feature.properties.title || "";
        if (feature.properties.url) title.href = feature.properties.url;
        box.appendChild(title);
        if (feature.properties.organisation) {
          var who = document.createElement("p");
          who.textContent = feature.properties.organisation;
          box.appendChild(who);
        }
        layer.bindPopup(box);
      }
    });
  }

  function init(box) {
    if (!window.L || box.dataset.areaMapReady) return;
    box.dataset.areaMapReady = "1";
    box.hidden = false;
    var area = JSON.parse(document.getElementById(box.dataset.geojson).textContent);
    var map = L.map(box, {zoomControl: false, attributionControl: !!box.dataset.tiles, scrollWheelZoom: false});
    L.control.zoom({zoomInTitle: say("Vergrößern", "Zoom in"), zoomOutTitle: say("Verkleinern", "Zoom out")}).addTo(map);
    if (box.dataset.tiles) {
      map.attributionControl.setPrefix(false);
      L.tileLayer(box.dataset.tiles, {attribution: box.dataset.attribution, maxZoom: 19}).addTo(map);
    }
    var outline = L.geoJSON(area, {interactive: false, style: {color: "#004b76", weight: 3, fillOpacity: 0.12}});
    outline.addTo(map);
    // Several points (funded projects, a measure): a GeoJSON FeatureCollection with a title per point.
    var points = box.dataset.points ? pointsLayer(JSON.parse(document.getElementById(box.dataset.points).textContent))
                                    : null;
    if (points) points.addTo(map);

    var latInput = document.getElementById(box.dataset.latitudeInput || "");
    var lngInput = document.getElementById(box.dataset.longitudeInput || "");
    var editable = !!(latInput && lngInput);
    var status = editable ? box.closest("details, section").querySelector("[data-area-map-status]") : null;
    var marker = null;

    function point() {
      var lat = number(editable ? latInput.value : box.dataset.latitude);
      var lng = number(editable ? lngInput.value : box.dataset.longitude);
      if (lat === null || lng === null || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
      return L.latLng(lat, lng);
    }

    function place(latlng) {
      if (!latlng) {
        if (marker) { map.removeLayer(marker); marker = null; }
        return;
      }
      if (!marker) {
        // keyboard: false – the marker takes no focus; the fields are the keyboard way to move it.
        marker = L.marker(latlng, {draggable: editable, keyboard: false,
                                   alt: say("Ort des Vorhabens", "Location of the project")}).addTo(map);
        if (editable) marker.on("dragend", function () { write(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
    }

    function write(latlng) {
      latInput.value = shown(latlng.lat);
      lngInput.value = shown(latlng.lng);
      latInput.dispatchEvent(new Event("input", {bubbles: true}));  // the autosave listens
      if (status) {
        status.textContent = say("Ort gesetzt: Breitengrad " + shown(latlng.lat) + ", Längengrad " + shown(latlng.lng) +
                                 ". Ob er im Fördergebiet liegt, zeigt die Seite nach dem Speichern.",
                                 "Location set: latitude " + shown(latlng.lat) + ", longitude " + shown(latlng.lng) +
                                 ". Whether it lies in the area is shown once saved.");
      }
    }

    function frame() {
      var here = point();
      if (points && points.getLayers().length) {
        var bounds = points.getBounds();
        if (outline.getLayers().length) bounds.extend(outline.getBounds());
        map.fitBounds(bounds, {padding: [24, 24], maxZoom: 17});
      } else if (outline.getLayers().length) map.fitBounds(outline.getBounds(), {padding: [12, 12]});
      else map.setView(here || FALLBACK, here ? 17 : 15);
    }

    place(point());
    frame();
    if (editable) {
      map.on("click", function (event) { place(event.latlng); write(event.latlng); });
      [latInput, lngInput].forEach(function (input) {
        input.addEventListener("change", function () { place(point()); });
      });
    }
  }

  function start() {
    document.querySelectorAll("[data-area-map]").forEach(function (box) {
      var details = box.closest("details");
      if (details && !details.open) {
        // A map drawn inside a closed <details> has no size: draw it when it is opened.
        details.addEventListener("toggle", function () { if (details.open) init(box); });
      } else {
        init(box);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
