
(function () {
  "use strict";
  var box = document.getElementById("only-editor");
  var shown = document.getElementById("shown");
  var paras = document.querySelectorAll(".para");
  function update() {
    var only = box.checked, visible = 0;
    for (var i = 0; i < paras.length; i++) {
      var hide = only && paras[i].getAttribute("data-needs-editor") !== "true";
      paras[i].hidden = hide;
      if (!hide) { visible++; }
    }
    shown.textContent = "Showing " + visible + " of " + paras.length + " paragraphs";
  }
  box.addEventListener("change", update);
  // Escape closes a note opened by focus (WCAG 1.4.13: dismissible content).
  document.addEventListener("keydown", function (event) {
    var active = document.activeElement;
    if (event.key === "Escape" && active && active.classList.contains("occ")) { active.blur(); }
  });
  update();
})();
