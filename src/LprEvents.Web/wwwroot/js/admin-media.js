// Media library: a "Kopieren" button beside each read-only address and Markdown snippet. Without JavaScript the
// fields stay selectable and copyable by hand.
(function () {
    "use strict";
    var status = document.getElementById("kopiert");
    document.querySelectorAll("input[data-copy]").forEach(function (input) {
        var label = document.querySelector("label[for='" + input.id + "']");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--small button--secondary";
        button.textContent = "Kopieren";
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = label ? " " + label.textContent : "";
        button.appendChild(hidden);
        button.addEventListener("click", function () {
            input.select();
            var done = function () { if (status) { status.textContent = "In die Zwischenablage kopiert."; } };
            if (navigator.clipboard && navigator.clipboard.writeText) {
                navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
            } else {
                document.execCommand("copy");
                done();
            }
        });
        input.insertAdjacentElement("afterend", button);
    });
}());
