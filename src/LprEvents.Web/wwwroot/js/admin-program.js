// Editing program items in place on the event editor page: "Bearbeiten" opens the item's form under its
// row (several at once), saving updates only that row. Without JavaScript the link opens the same form on
// a page of its own, and saving returns to the editor: the server is the same either way.
(function () {
    "use strict";
    var heading = document.getElementById("programm");
    var section = heading && heading.closest("section");
    if (!section || !window.fetch || !window.DOMParser) {
        return;
    }
    var status = document.createElement("p");
    status.className = "program-status";
    status.setAttribute("role", "status");
    section.insertBefore(status, heading.nextSibling);

    function parse(html) {
        return new DOMParser().parseFromString(html, "text/html");
    }

    // Ids must stay unique when several forms (and the event's own form) share the page.
    function prefixIds(root, prefix) {
        root.querySelectorAll("[id]").forEach(function (el) { el.id = prefix + el.id; });
        root.querySelectorAll("label[for]").forEach(function (el) { el.htmlFor = prefix + el.htmlFor; });
        root.querySelectorAll("[aria-describedby], [aria-labelledby]").forEach(function (el) {
            ["aria-describedby", "aria-labelledby"].forEach(function (name) {
                var value = el.getAttribute(name);
                if (value) {
                    el.setAttribute(name, value.split(" ").map(function (id) { return prefix + id; }).join(" "));
                }
            });
        });
        root.querySelectorAll("a[href^='#']").forEach(function (el) { el.setAttribute("href", "#" + prefix + el.getAttribute("href").slice(1)); });
    }

    function editorFrom(doc, prefix, cancel) {
        var page = doc.querySelector(".form-page");
        var box = document.createElement("div");
        box.className = "program-edit";
        var summary = page.querySelector(".error-summary");
        var notice = page.querySelector(".notice--warning");
        [notice, summary, page.querySelector("form")].forEach(function (el) {
            if (el) {
                box.appendChild(document.importNode(el, true));
            }
        });
        prefixIds(box, prefix);
        var back = box.querySelector(".toolbar a");
        if (back) {
            back.addEventListener("click", function (event) { event.preventDefault(); cancel(); });
        }
        return box;
    }

    function open(link) {
        var row = link.closest("tr");
        var key = link.getAttribute("href");
        if (row.nextElementSibling && row.nextElementSibling.getAttribute("data-edits") === key) {
            row.nextElementSibling.querySelector("input, select, textarea").focus();
            return;
        }
        var prefix = "p" + key.split("/")[5] + "-";
        var editRow = document.createElement("tr");
        editRow.setAttribute("data-edits", key);
        var cell = document.createElement("td");
        cell.colSpan = row.children.length;
        editRow.appendChild(cell);
        row.parentNode.insertBefore(editRow, row.nextSibling);

        function close() {
            editRow.remove();
            link.focus();
        }

        function show(doc) {
            cell.replaceChildren(editorFrom(doc, prefix, close));
            var form = cell.querySelector("form");
            form.addEventListener("submit", function (event) {
                event.preventDefault();
                fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
                    .then(function (response) { return response.text().then(function (html) { return { response: response, doc: parse(html) }; }); })
                    .then(function (result) {
                        if (result.response.status === 422) {
                            show(result.doc);
                            var errors = cell.querySelector(".error-summary");
                            if (errors) {
                                errors.focus();
                            }
                            return;
                        }
                        if (!result.response.ok) {
                            form.submit();
                            return;
                        }
                        var fresh = result.doc.querySelector("section[aria-labelledby='programm'] a[href='" + key + "']");
                        if (fresh) {
                            var newRow = document.importNode(fresh.closest("tr"), true);
                            row.replaceWith(newRow);
                            row = newRow;
                            link = newRow.querySelector("a[href='" + key + "']");
                        }
                        var notice = result.doc.querySelector(".notice--success");
                        status.textContent = notice ? notice.textContent.trim() : "";
                        close();
                    })
                    .catch(function () { form.submit(); });
            });
            var first = cell.querySelector(".error-summary") || cell.querySelector("input, select, textarea");
            if (first) {
                first.focus();
            }
        }

        fetch(key, { credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
            .then(function (html) { show(parse(html)); })
            .catch(function () { window.location.href = key; });
    }

    section.addEventListener("click", function (event) {
        var link = event.target.closest("a[href*='/programm/'][href$='/bearbeiten']");
        if (link && section.contains(link) && !link.closest(".program-edit")) {
            event.preventDefault();
            open(link);
        }
    });
}());
