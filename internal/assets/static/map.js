// The map page and the pick-on-map box of the incident and distribution
// forms (docs/map.md). Leaflet and Leaflet.markercluster are loaded before
// this file. Everything shown comes from the server's GeoJSON answers; text
// goes into the page with textContent only, never as HTML.
(function () {
  'use strict';

  var DEVANAGARI = '०१२३४५६७८९';
  // The colour ramp of the choropleth, light to dark (the ch-N classes of
  // map.css have the same colours for the legend).
  var RAMP = ['#f7fcf5', '#c7e9c0', '#74c476', '#31a354', '#006d2c'];

  function ready(fn) {
    if (document.readyState !== 'loading') fn();
    else document.addEventListener('DOMContentLoaded', fn);
  }

  function digits(value, lang) {
    var s = String(value);
    return lang === 'ne' ? s.replace(/[0-9]/g, function (d) { return DEVANAGARI[d]; }) : s;
  }

  // money writes the API's "1500.50" as the server writes amounts:
  // grouped the Nepali way (1,00,000), "रु " and Devanagari digits in Nepali.
  function money(value, lang) {
    var parts = String(value).split('.');
    var whole = parts[0], head = whole.slice(0, -3), tail = whole.slice(-3);
    while (head.length > 2) { tail = head.slice(-2) + ',' + tail; head = head.slice(0, -2); }
    var grouped = (head ? head + ',' : '') + tail + (parts[1] ? '.' + parts[1] : '');
    return lang === 'ne' ? 'रु ' + digits(grouped, 'ne') : 'Rs ' + grouped;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function getJSON(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/geo+json, application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
        return r.json();
      });
  }

  // popupNode builds a popup's content: the type as heading, the key facts,
  // and a link to the record.
  function popupNode(ds, kind, p, typeLabel) {
    var lang = ds.lang;
    var box = el('div', 'map-popup');
    box.appendChild(el('h3', null, (kind === 'incident' ? ds.lIncident : ds.lDistribution) + ' · ' + (typeLabel || p.type)));
    var dl = el('dl');
    function row(label, value) {
      dl.appendChild(el('dt', null, label));
      dl.appendChild(el('dd', null, value));
    }
    row(ds.lDate, digits(p.date, lang));
    row(ds.lWard, digits(p.ward, lang));
    if (kind === 'incident') {
      row(ds.lDeaths, digits(p.deaths, lang));
      row(ds.lMissing, digits(p.missing, lang));
      row(ds.lInjured, digits(p.injured, lang));
      row(ds.lHouseholds, digits(p.households, lang));
    } else {
      row(ds.lName, p.name);
      row(ds.lCash, money(p.cash, lang));
    }
    box.appendChild(dl);
    var a = el('a', 'map-popup-link', ds.lOpen);
    a.href = (kind === 'incident' ? '/incidents/' : '/distributions/') + encodeURIComponent(p.id);
    box.appendChild(a);
    return box;
  }

  function clusterGroup(kind, lang) {
    return L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
        var span = el('span', null, digits(n, lang));
        var div = el('div');
        div.appendChild(span);
        return L.divIcon({ html: div, className: 'marker-cluster marker-cluster-' + size + ' cluster-' + kind, iconSize: L.point(40, 40) });
      }
    });
  }

  function pointLayer(ds, kind, data, colours, labels) {
    var group = clusterGroup(kind, ds.lang);
    var markers = [];
    (data.features || []).forEach(function (f) {
      var c = f.geometry.coordinates;
      var p = f.properties;
      var m = L.circleMarker([c[1], c[0]], {
        radius: kind === 'incident' ? 8 : 6,
        color: kind === 'incident' ? '#111' : '#fff',
        weight: kind === 'incident' ? 2 : 1.5,
        fillColor: colours[p.type] || '#666',
        fillOpacity: 0.9,
        className: 'map-marker marker-' + kind
      });
      m.bindPopup(function () { return popupNode(ds, kind, p, labels[p.type]); });
      markers.push(m);
    });
    group.addLayers(markers);
    return group;
  }

  function wardName(props, lang) {
    var name = lang === 'ne' ? props.name_ne : props.name_en;
    return name || digits(props.ward, lang);
  }

  // breaks are the upper bounds of five classes from 0 to the largest value.
  function breaks(max) {
    var out = [];
    for (var i = 1; i <= RAMP.length; i++) out.push(Math.ceil(max * i / RAMP.length));
    return out;
  }

  function classOf(v, b) {
    if (!v) return 0;
    for (var i = 0; i < b.length; i++) if (v <= b[i]) return i;
    return b.length - 1;
  }

  function initMap(node) {
    var ds = node.dataset;
    var lang = ds.lang;
    var status = document.getElementById('map-status');
    var legend = document.getElementById('map-legend');
    var started = performance.now();
    var map = L.map(node, { zoomControl: true, maxZoom: Number(ds.tilesMaxZoom) || 19 }).setView([29.46, 81.02], 11);
    if (ds.tiles) {
      L.tileLayer(ds.tiles, { maxZoom: Number(ds.tilesMaxZoom) || 19, className: 'basemap-tiles' }).addTo(map);
    }
    var wardFigures = { incidents: {}, deaths: {}, households: {} };
    var wardLayer = null;
    var layers = {};

    function setStatus(text) { if (status) status.textContent = text; }

    function paintWards() {
      if (!wardLayer) return;
      var metric = document.getElementById('choropleth').value;
      var values = wardFigures[metric] || {};
      var max = 0;
      Object.keys(values).forEach(function (k) { max = Math.max(max, values[k]); });
      var b = breaks(max);
      wardLayer.eachLayer(function (l) {
        var v = values[l.feature.properties.ward] || 0;
        l.setStyle(metric ? { fillColor: RAMP[classOf(v, b)], fillOpacity: 0.65 } : { fillColor: '#ffffff', fillOpacity: 0.05 });
      });
      drawLegend(metric, b, max);
    }

    var typeLegend = null;
    function drawLegend(metric, b, max) {
      legend.textContent = '';
      if (typeLegend) legend.appendChild(typeLegend);
      if (!metric) return;
      var g = el('div', 'legend-group legend-choropleth');
      g.appendChild(el('span', 'legend-title', ds['lChoropleth' + metric.charAt(0).toUpperCase() + metric.slice(1)]));
      var from = 0;
      b.forEach(function (to, i) {
        if (max === 0 && i > 0) return;
        if (i > 0 && to < from) return;
        var item = el('span', 'legend-item');
        item.appendChild(el('span', 'legend-swatch ch-' + i));
        item.appendChild(document.createTextNode(max === 0 ? digits(0, lang) : digits(from, lang) + '–' + digits(to, lang)));
        g.appendChild(item);
        from = to + 1;
      });
      legend.appendChild(g);
    }

    function toggle(id, layer) {
      var box = document.getElementById(id);
      if (!box || !layer) return;
      if (!box.checked) map.removeLayer(layer);
      box.addEventListener('change', function () {
        if (box.checked) map.addLayer(layer); else map.removeLayer(layer);
      });
    }

    var wantDistributions = !!document.getElementById('layer-distributions');
    Promise.all([
      getJSON(ds.boundary),
      getJSON(ds.wards),
      getJSON(ds.incidents),
      wantDistributions ? getJSON(ds.distributions) : Promise.resolve(null)
    ]).then(function (all) {
      var boundary = all[0], wards = all[1], incidents = all[2], distributions = all[3];
      var bounds = null;
      if (boundary.features === undefined || boundary.features.length) {
        var b = L.geoJSON(boundary, { style: { color: '#7a1f1f', weight: 3, fill: false, dashArray: '6 4', className: 'boundary-line' }, interactive: false }).addTo(map);
        bounds = b.getBounds();
      }
      if (wards.features && wards.features.length) {
        wardLayer = L.geoJSON(wards, {
          style: { color: '#1d3b2a', weight: 1.5, fillColor: '#ffffff', fillOpacity: 0.05, className: 'ward-polygon' },
          onEachFeature: function (f, layer) {
            layer.bindTooltip(wardName(f.properties, lang), { permanent: true, direction: 'center', className: 'ward-label' });
          }
        }).addTo(map);
        wardLayer.bringToBack();
        if (!bounds || !bounds.isValid()) bounds = wardLayer.getBounds();
      }
      var colours = {}, labels = {};
      var types = (incidents && incidents.types) || [];
      types.forEach(function (t) { colours[t.key] = t.color; labels[t.key] = t.label; });
      (incidents.wards || []).forEach(function (w) { wardFigures.incidents[w.ward] = w.incidents; wardFigures.deaths[w.ward] = w.deaths; });
      layers.incidents = pointLayer(ds, 'incident', incidents, colours, labels).addTo(map);
      if (distributions) {
        (distributions.wards || []).forEach(function (w) { wardFigures.households[w.ward] = w.households; });
        layers.distributions = pointLayer(ds, 'distribution', distributions, colours, labels).addTo(map);
      }
      toggle('layer-incidents', layers.incidents);
      toggle('layer-distributions', layers.distributions);
      toggle('layer-wards', wardLayer);
      if (!bounds || !bounds.isValid()) {
        var all2 = L.featureGroup([layers.incidents].concat(layers.distributions ? [layers.distributions] : []));
        if (all2.getBounds().isValid()) bounds = all2.getBounds();
      }
      if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10], animate: false });

      // The legend of the disaster types that are on the map.
      var used = {};
      (incidents.features || []).concat(distributions ? distributions.features : []).forEach(function (f) { used[f.properties.type] = true; });
      typeLegend = el('div', 'legend-group legend-types');
      typeLegend.appendChild(el('span', 'legend-title', ds.lLegendTypes));
      types.forEach(function (t, i) {
        if (!used[t.key]) return;
        var item = el('span', 'legend-item');
        item.appendChild(el('span', 'legend-swatch round sw-' + (i % 12)));
        item.appendChild(document.createTextNode(t.label));
        typeLegend.appendChild(item);
      });
      document.getElementById('choropleth').addEventListener('change', paintWards);
      paintWards();

      var msg = ds.msgLoaded;
      if (!wardLayer) msg += ' ' + ds.msgNoWards;
      if (distributions && distributions.hidden) msg += ' ' + ds.msgHidden.replace('{n}', digits(distributions.hidden, lang));
      if (!ds.tiles) msg += ' ' + ds.msgNoBasemap;
      setStatus(msg);
      var ms = Math.round(performance.now() - started);
      node.dataset.drawnMs = String(ms);
      node.dataset.ready = '1';
      node.dispatchEvent(new CustomEvent('leoc-map-ready', { detail: { ms: ms } }));
    }).catch(function (err) {
      setStatus(ds.msgFailed);
      node.dataset.ready = 'error';
      if (window.console) console.error('leoc map:', err);
    });
    node.leocMap = map;
  }

  // ---- Pick on map and "use my location" in the record forms ----------

  // A pick box is a <div data-pick-map> inside a form with the form's
  // latitude, longitude and ward fields named in data attributes. Typing
  // or picking coordinates asks the server which ward contains them: an
  // empty ward is filled in; a different ward typed is warned about (the
  // server warns again when the record is saved, it never refuses).
  function initPicker(box) {
    var ds = box.dataset;
    var form = box.closest('form');
    var lat = form.querySelector('[name="' + ds.lat + '"]');
    var lon = form.querySelector('[name="' + ds.lon + '"]');
    var ward = form.querySelector('[name="' + ds.ward + '"]');
    var hint = box.querySelector('.ward-hint');
    var mapNode = box.querySelector('.pick-map');
    var map = null, marker = null;
    if (!lat || !lon) return;

    function ascii(s) { return String(s).replace(/[०-९]/g, function (d) { return DEVANAGARI.indexOf(d); }).trim(); }
    function coords() {
      var a = parseFloat(ascii(lat.value)), b = parseFloat(ascii(lon.value));
      return isFinite(a) && isFinite(b) ? [a, b] : null;
    }
    function setHint(text, warn) {
      hint.textContent = text || '';
      hint.classList.toggle('warn', !!warn);
    }
    var seq = 0, prefilling = false;
    function checkWard() {
      var c = coords();
      if (!c) { setHint(''); return; }
      if (marker) marker.setLatLng(c);
      var mine = ++seq;
      getJSON('/api/v1/wards/at?lat=' + encodeURIComponent(c[0]) + '&lon=' + encodeURIComponent(c[1])).then(function (r) {
        if (mine !== seq) return;
        if (r.ward === null || r.ward === undefined) { setHint(r.polygons ? ds.msgOutside : ''); return; }
        var typed = ward ? parseInt(ascii(ward.value), 10) : NaN;
        if (ward && !ward.value) {
          ward.value = String(r.ward);
          prefilling = true; // the form's other scripts hear of it; this box needs no second look
          ward.dispatchEvent(new Event('change', { bubbles: true }));
          prefilling = false;
          setHint(ds.msgPrefilled.replace('{ward}', digits(r.ward, ds.lang)));
        } else if (isFinite(typed) && typed !== r.ward) {
          setHint(ds.msgMismatch.replace('{ward}', digits(typed, ds.lang)).replace('{found}', digits(r.ward, ds.lang)), true);
        } else {
          setHint(ds.msgMatch.replace('{ward}', digits(r.ward, ds.lang)));
        }
      }).catch(function () { if (mine === seq) setHint(''); });
    }
    function set(latlng) {
      lat.value = latlng.lat.toFixed(5);
      lon.value = latlng.lng.toFixed(5);
      [lat, lon].forEach(function (i) { i.dispatchEvent(new Event('input', { bubbles: true })); });
      checkWard();
    }
    function openMap() {
      if (map || !window.L) return;
      mapNode.hidden = false;
      var c = coords();
      map = L.map(mapNode, { maxZoom: 19 }).setView(c || [29.46, 81.02], c ? 14 : 11);
      if (ds.tiles) L.tileLayer(ds.tiles, { maxZoom: 19 }).addTo(map);
      getJSON('/api/v1/wards.geojson').then(function (wards) {
        if (!wards.features || !wards.features.length) return;
        var layer = L.geoJSON(wards, {
          style: { color: '#1d3b2a', weight: 1.5, fillOpacity: 0.05, className: 'ward-polygon' },
          onEachFeature: function (f, l) { l.bindTooltip(wardName(f.properties, ds.lang), { permanent: true, direction: 'center', className: 'ward-label' }); }
        }).addTo(map);
        layer.on('click', function (e) { set(e.latlng); });
        if (!c) map.fitBounds(layer.getBounds());
      }).catch(function () {});
      marker = L.marker(c || map.getCenter(), { draggable: true, keyboard: true, icon: L.divIcon({ className: 'pick-marker', html: '', iconSize: L.point(18, 18) }) });
      if (c) marker.addTo(map);
      marker.on('dragend', function () { set(marker.getLatLng()); });
      map.on('click', function (e) {
        marker.setLatLng(e.latlng);
        if (!map.hasLayer(marker)) marker.addTo(map);
        set(e.latlng);
      });
    }
    var pick = box.querySelector('[data-pick-open]');
    if (pick) pick.addEventListener('click', openMap);
    var locate = box.querySelector('[data-pick-locate]');
    if (locate) {
      if (!navigator.geolocation) locate.hidden = true;
      locate.addEventListener('click', function () {
        setHint(ds.msgLocating);
        navigator.geolocation.getCurrentPosition(function (pos) {
          var ll = { lat: pos.coords.latitude, lng: pos.coords.longitude };
          set(ll);
          if (map) { marker.setLatLng([ll.lat, ll.lng]).addTo(map); map.setView([ll.lat, ll.lng], 15); }
        }, function () { setHint(ds.msgNoLocation, true); }, { enableHighAccuracy: true, timeout: 15000 });
      });
    }
    [lat, lon].forEach(function (i) { i.addEventListener('change', checkWard); });
    if (ward) ward.addEventListener('change', function () { if (!prefilling && coords()) checkWard(); });
    if (coords()) checkWard();
  }

  ready(function () {
    if (!window.L) return;
    var node = document.getElementById('leoc-map');
    if (node) initMap(node);
    Array.prototype.forEach.call(document.querySelectorAll('[data-pick-map]'), initPicker);
  });
})();
