// The scanner page, made quicker with JavaScript: scans without reloading, the camera (the browser's own
// BarcodeDetector, or else the QR decoder in /static/vendor/zxing-wasm, loaded with the page so it works offline),
// and scanning on with no network (codes checked with the public key, check-ins kept on this device and sent
// when the network is back). Without JavaScript the page's forms still work.
// What stays on the device (said on the page): the offline list (names, organisations, whether each place is
// confirmed and checked in: no access needs, emails or answers) and scans not yet sent (refused ones too, so
// every scan is on record: the server keeps them as refused, never letting anyone in). It is deleted at sign-out
// (the server's Clear-Site-Data header, and sign-out.js where a browser ignores it) and once the event is over.
(function () {
  "use strict";
  var root = document.querySelector(".scanner");
  if (!root || !window.fetch) return;
  var slug = root.dataset.event;
  var api = "/api/events/" + encodeURIComponent(slug) + "/check-in";
  var form = document.getElementById("scan-form");
  var input = document.getElementById("code");
  var session = document.getElementById("session_id");
  var result = document.getElementById("result");
  var offlineNote = document.getElementById("offline-note");
  var storeKey = "checkin:" + slug;
  var queueKey = "checkin-queue:" + slug;
  var offline = null;
  var directionField = document.getElementById("direction");

  // Lists of events that are over leave the device (this event's too, once its door has closed).
  function dropEndedLists() {
    var now = new Date(), ended = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (!key || key.indexOf("checkin:") !== 0) continue;
      var list = null;
      try { list = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { list = null; }
      if (!list || !list.closes_at || now >= new Date(list.closes_at)) ended.push(key);
    }
    ended.forEach(function (key) { localStorage.removeItem(key); });
    if (offline && offline.closes_at && now >= new Date(offline.closes_at)) offline = null;
  }

  function sessionId() { return session && session.value ? Number(session.value) : null; }
  function direction() {
    if (!directionField) return "in";
    var out = directionField.querySelector("input[value=out]");
    return out && out.checked ? "out" : "in";
  }
  function clientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function queue() { try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; } }
  function saveQueue(items) { localStorage.setItem(queueKey, JSON.stringify(items)); }

  function show(answer, code) {
    result.className = "result result-" + answer.colour;
    result.textContent = "";
    function line(text, cls) {
      if (!text) return;
      var p = document.createElement("p");
      p.textContent = text;
      if (cls) p.className = cls;
      result.appendChild(p);
    }
    line(answer.message, "result-message");
    if (answer.result !== "invalid") line(answer.name, "result-name");
    line([answer.organisation, answer.stakeholder_group].filter(Boolean).join(" · "));
    if (answer.access_needs) line("Access needs: " + answer.access_needs, "result-access");
    // After a check-in an organiser can print the person's badge (a PDF, in a new tab).
    if (answer.result === "checked_in" && answer.registration_id && root.dataset.badges === "1") {
      var badge = document.createElement("a");
      badge.href = "/organiser/events/" + encodeURIComponent(slug) + "/badges.pdf?registration=" + answer.registration_id;
      badge.className = "button button-secondary";
      badge.target = "_blank";
      badge.rel = "noopener";
      badge.textContent = "Print badge";
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = " for " + (answer.name || "this delegate") + " (PDF, opens in a new tab)";
      badge.appendChild(name);
      result.appendChild(badge);
    }
    // Outside the event's days an organiser may still let someone in; door staff may not.
    if ((answer.result === "too_early" || answer.result === "event_over") && root.dataset.override === "1" && code) {
      var anyway = document.createElement("button");
      anyway.type = "button";
      anyway.className = "button button-secondary";
      anyway.textContent = "Check in anyway";
      anyway.addEventListener("click", function () { scan(code, true); });
      result.appendChild(anyway);
    }
  }

  function refreshCounts() {
    var url = api + "/counts" + (sessionId() ? "?session=" + sessionId() : "");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (c) {
      if (!c) return;
      document.getElementById("checked-in").textContent = c.checked_in;
      document.getElementById("expected").textContent = c.expected;
      var inside = document.getElementById("inside");
      if (inside && c.inside !== null && c.inside !== undefined) inside.textContent = c.inside;
      showGroups(c.by_group || []);
    }).catch(function () {});
  }

  function showGroups(groups) {
    var body = document.getElementById("group-counts");
    if (!body) return;
    body.textContent = "";
    groups.forEach(function (g) {
      var row = document.createElement("tr");
      var head = document.createElement("th");
      head.scope = "row";
      head.textContent = g.stakeholder_group;
      row.appendChild(head);
      [g.checked_in, g.expected].forEach(function (n) {
        var cell = document.createElement("td");
        cell.textContent = n;
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
  }

  function loadOffline() {
    fetch(api + "/offline", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        offline = data;
        try { localStorage.setItem(storeKey, JSON.stringify(data)); } catch (e) { /* full: keep it in memory */ }
        dropEndedLists();
      }).catch(function () {
        try { offline = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { offline = null; }
        dropEndedLists();
      });
  }

  function b64(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // Check a code with the public key, as the server does, when there is no network.
  function scanOffline(code) {
    var red = { result: "invalid", colour: "red", message: "This is not a valid ticket" };
    if (!offline || code.indexOf("T1.") !== 0) return Promise.resolve(red);
    var raw;
    try { raw = b64(code.slice(3)); } catch (e) { return Promise.resolve(red); }
    if (raw.length !== 73 || raw[0] !== 1) return Promise.resolve(red);
    var view = new DataView(raw.buffer);
    var eventId = view.getUint32(1), registrationId = view.getUint32(5);
    return crypto.subtle.importKey("raw", b64(offline.public_key), { name: "Ed25519" }, false, ["verify"])
      .then(function (key) { return crypto.subtle.verify({ name: "Ed25519" }, key, raw.slice(9), raw.slice(0, 9)); })
      .then(function (good) {
        if (!good) return red;
        if (eventId !== offline.event_id) return { result: "other_event", colour: "red", message: "This ticket is for another event" };
        var now = new Date();
        if (offline.opens_at && (now < new Date(offline.opens_at) || now >= new Date(offline.closes_at))) {
          return { result: now < new Date(offline.opens_at) ? "too_early" : "event_over", colour: "red",
                   message: "This event is not on today: check-in is open from " + new Date(offline.opens_at).toLocaleString() +
                            " to " + new Date(offline.closes_at).toLocaleString() };
        }
        var person = offline.registrations[String(registrationId)] || {};
        var answer = { name: person.name, organisation: person.organisation };
        var way = direction();
        if (way === "out" && offline.check_out) {  // the server judges the exit when the scan is sent
          queueScan(code, registrationId, way);
          answer.result = "checked_out"; answer.colour = "green";
          answer.message = "Goodbye, " + (person.name || "delegate") + " (kept on this device until the network is back)";
          return answer;
        }
        if (person.status !== "confirmed") {
          answer.result = "not_confirmed"; answer.colour = "red";
          answer.message = (person.name || "This delegate") + " has no confirmed place";
          return answer;
        }
        var mine = queue().filter(function (q) { return !q.refused && q.registration === registrationId && q.session_id === sessionId(); });
        var seen = person.checked_in || mine.some(function (q) { return (q.direction || "in") === "in"; });
        var wentOut = offline.check_out && mine.length && mine[mine.length - 1].direction === "out";
        if (seen && !sessionId() && !wentOut) {
          answer.result = "already_checked_in"; answer.colour = "amber";
          answer.message = person.name + " was already checked in";
          return answer;
        }
        queueScan(code, registrationId, "in");
        answer.result = "checked_in"; answer.colour = "green";
        answer.message = "Welcome, " + person.name + " (kept on this device until the network is back)";
        return answer;
      }).catch(function () { return red; });
  }

  function queueScan(code, registrationId, way, refused) {
    var items = queue();
    var item = { client_id: clientId(), code: code, at: new Date().toISOString(), session_id: sessionId(), registration: registrationId, direction: way };
    if (refused) item.refused = refused;
    items.push(item);
    saveQueue(items);
  }

  // A scan refused offline is kept too, to be sent with the others and recorded as refused (what the door saw).
  var REFUSED_OFFLINE = ["invalid", "other_event", "not_confirmed", "too_early", "event_over", "already_checked_in"];
  function keepRefusal(code) {
    return function (answer) {
      if (REFUSED_OFFLINE.indexOf(answer.result) >= 0) {
        // What the server takes as a code: at most 500 characters, no control characters or halves of a pair
        // (a scanner's garbage must not hold up the rest of the queue; a ticket code is plain ASCII).
        var kept = code.replace(/[\u0000-\u001f\u007f\ud800-\udfff]/g, "").slice(0, 500) || "?";
        try { queueScan(kept, null, direction(), answer.result); } catch (e) { /* storage full: shown, not kept */ }
        offlineNote.hidden = false;
      }
      return answer;
    };
  }

  function sync() {
    var items = queue();
    offlineNote.hidden = navigator.onLine !== false && items.length === 0;
    if (!items.length || navigator.onLine === false) return;
    var scans = items.map(function (q) {
      var s = { client_id: q.client_id, code: q.code, at: q.at, session_id: q.session_id, direction: q.direction || "in" };
      if (q.refused) s.refused = q.refused;
      return s;
    });
    return fetch(api + "/sync", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ scans: scans })
    }).then(function (r) {
      if (!r.ok) return;
      var sent = {};
      scans.forEach(function (s) { sent[s.client_id] = true; });
      saveQueue(queue().filter(function (q) { return !sent[q.client_id]; }));
      offlineNote.hidden = queue().length === 0;
      refreshCounts();
    }).catch(function () { offlineNote.hidden = false; });
  }

  function scan(code, override) {
    code = code.trim();
    if (!code) return;
    var body = JSON.stringify({ code: code, session_id: sessionId(), client_id: clientId(), override: !!override, direction: direction() });
    var online = navigator.onLine === false ? Promise.reject(new Error("offline")) : fetch(api + "/scan", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: body
    }).then(function (r) { if (r.status >= 500 || r.status === 0) throw new Error("server"); return r.json(); });
    online.then(function (answer) { offlineNote.hidden = queue().length === 0; return answer; })
      .catch(function () { offlineNote.hidden = false; return scanOffline(code).then(keepRefusal(code)); })
      .then(function (answer) { show(answer, code); refreshCounts(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    scan(input.value);
    input.value = "";
    input.focus();
  });

  // The camera: the browser's own BarcodeDetector where it has one (Chrome on Android), else the vendored
  // zxing-wasm decoder (Safari on iPhone, Firefox), loaded and compiled now so the camera works offline too.
  var cameraButton = document.getElementById("camera-button");
  var video = document.getElementById("camera");
  var decoderBase = "/static/vendor/zxing-wasm/";

  function nativeReader() {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return function () {
      return detector.detect(video).then(function (found) { return found.length ? found[0].rawValue : null; });
    };
  }

  function wasmReader() {
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function () {
      var width = video.videoWidth, height = video.videoHeight;
      if (!width || !height) return Promise.resolve(null);
      canvas.width = width; canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      return window.ZXingWASM.readBarcodes(context.getImageData(0, 0, width, height),
        { formats: ["QRCode"], maxNumberOfSymbols: 1, tryHarder: true })
        .then(function (found) { return found.length && found[0].isValid ? found[0].text : null; });
    };
  }

  function startCamera(reader) {
    var last = "", lastAt = 0, busy = false;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      cameraButton.hidden = true;
      video.play();
      setInterval(function () {
        if (busy) return;  // a slow phone: one frame at a time
        busy = true;
        reader().then(function (code) {
          busy = false;
          if (!code) return;
          var now = Date.now();
          var held = code === last && now - lastAt < 3000;
          last = code; lastAt = now;
          if (held) return;  // the same ticket held up (seen again within 3 s of the last sight): one scan
          scan(code);
        }).catch(function () { busy = false; });
      }, 250);
    }).catch(function () { show({ colour: "amber", message: "The camera could not be opened: type or scan the code instead" }); });
  }

  function offerCamera(makeReader) {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", function () { startCamera(makeReader()); });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    if ("BarcodeDetector" in window) {
      offerCamera(nativeReader);
    } else if (window.WebAssembly) {
      var script = document.createElement("script");
      script.src = decoderBase + "zxing-reader.js";
      script.addEventListener("load", function () {
        window.ZXingWASM.prepareZXingModule({
          overrides: { locateFile: function (path, prefix) { return path.slice(-5) === ".wasm" ? decoderBase + path : prefix + path; } },
          fireImmediately: true
        }).then(function () { offerCamera(wasmReader); }).catch(function () { /* no decoder: the field still works */ });
      });
      document.head.appendChild(script);
    }
  }

  // Signing out from this page: send what is waiting, then delete what this device keeps before leaving
  // (the server's Clear-Site-Data header deletes it too; sign-out.js does the same on other pages).
  var signOut = document.getElementById("scanner-sign-out");
  if (signOut) {
    signOut.addEventListener("submit", function (event) {
      if (signOut.dataset.sent === "1") return;
      event.preventDefault();
      var sent = queue().length && navigator.onLine !== false ? sync() : null;
      Promise.resolve(sent).catch(function () {}).then(function () {
        offline = null;
        signOut.dataset.sent = "1";
        window.forgetDevice().then(function () { signOut.submit(); });
      });
    });
  }

  if (session) session.addEventListener("change", refreshCounts);
  window.addEventListener("online", sync);
  window.addEventListener("offline", function () { offlineNote.hidden = false; });
  dropEndedLists();
  loadOffline();
  setInterval(refreshCounts, 15000);
  setInterval(sync, 15000);
  setInterval(loadOffline, 300000);
  sync();
})();
