// A citation is a link "#cite=<start>:<end>:<file>": open it in the document viewer, then
// scroll the viewer to the marked quote once it is there.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest('a[href^="#cite="]');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const box = document.querySelector("#cite_request textarea, #cite_request input");
  const open = document.querySelector("#cite_open");
  if (!box || !open) return;
  const wanted = link.getAttribute("href");
  box.value = wanted;
  box.dispatchEvent(new Event("input", { bubbles: true }));
  setTimeout(() => open.click(), 50);
  let tries = 0;
  const scroll = setInterval(() => {
    const mark = document.querySelector("#viewer mark");
    const shown = document.querySelector("#viewer .doc");
    if ((mark && shown && shown.dataset.cite === wanted) || ++tries > 100) {
      clearInterval(scroll);
      if (mark && shown) {  // vertically only: the line numbers stay in view
        const row = mark.closest(".row") || mark;
        shown.scrollTop = row.offsetTop - shown.clientHeight / 2;
        shown.scrollLeft = 0;
        shown.scrollIntoView({ block: "nearest" });
      }
    }
  }, 100);
}, true);
