// Live preview for the article editor: the server renders the Markdown with the public page's pipeline.
// Without JavaScript the "Vorschau" button does the same with a full page load.
(function () {
    "use strict";
    var form = document.getElementById("artikel-formular");
    var body = document.getElementById("Body");
    var preview = document.getElementById("vorschau");
    if (!form || !body || !preview) {
        return;
    }
    var timer = null;
    function refresh() {
        var data = new FormData(form);
        fetch("/admin/beitraege/vorschau", { method: "POST", body: data, credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.text() : null; })
            .then(function (html) {
                if (html !== null) {
                    preview.innerHTML = html; // already sanitised by the server's Markdown renderer
                }
            })
            .catch(function () { /* keep the last preview */ });
    }
    body.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, 400);
    });
    refresh();
}());

// Leaving with unsaved changes asks first (the browser shows its own wording). Saving, previewing or publishing
// submit the form and are never held up.
(function () {
    "use strict";
    var form = document.getElementById("artikel-formular");
    if (!form) {
        return;
    }
    var dirty = false;
    function markDirty() { dirty = true; }
    form.addEventListener("input", markDirty);
    form.addEventListener("change", markDirty);
    form.addEventListener("submit", function () { dirty = false; });
    form.addEventListener("lpr:autosaved", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
        if (dirty) {
            event.preventDefault();
            event.returnValue = ""; // older Chromium needs a value to show the question
        }
    });
}());

// Autosave of an existing article a few seconds after the last change. The server saves a draft, or the pending
// version of a live article, so readers never see a half-written text. Without JavaScript "Speichern" does this.
(function () {
    "use strict";
    var form = document.getElementById("artikel-formular");
    var status = document.getElementById("automatisch-gespeichert");
    var url = form ? form.getAttribute("data-autosave") : null;
    if (!form || !status || !url) {
        return;
    }
    var version = form.querySelector("input[name=Version]");
    var timer = null;
    var changes = 0;
    var busy = false;
    var waiting = null;
    function show(message) {
        status.textContent = message;
        status.hidden = false;
    }
    function save() {
        if (busy) {
            timer = window.setTimeout(save, 2000);
            return;
        }
        busy = true;
        var seen = changes;
        var data = new FormData(form);
        data.delete("aktion");
        fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (response) {
                return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
            })
            .then(function (result) {
                if (result.ok && result.answer.version && version) {
                    version.value = result.answer.version;
                    if (seen === changes) {
                        form.dispatchEvent(new CustomEvent("lpr:autosaved"));
                    }
                }
                show(result.answer.message);
            })
            .catch(function () { show("Nicht automatisch gespeichert: keine Verbindung. Ihr Text steht noch im Formular."); })
            .then(function () {
                busy = false;
                if (waiting) {
                    // A button was pressed while saving: send it now, with the version just received.
                    var button = waiting;
                    waiting = null;
                    form.requestSubmit(button);
                }
            });
    }
    function changed() {
        changes += 1;
        window.clearTimeout(timer);
        timer = window.setTimeout(save, 5000);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
        window.clearTimeout(timer);
        if (busy) {
            event.preventDefault();
            event.stopImmediatePropagation();
            waiting = event.submitter || form.querySelector("button[type=submit]");
        }
    });
}());
