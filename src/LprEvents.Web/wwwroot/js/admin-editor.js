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
    window.addEventListener("beforeunload", function (event) {
        if (dirty) {
            event.preventDefault();
            event.returnValue = ""; // older Chromium needs a value to show the question
        }
    });
}());
