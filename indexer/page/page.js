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
      if (mark && shown) showMark(mark, shown);
    }
  }, 100);
}, true);

// Bring the quote's first character into the viewer's box: a third of the way down, and, with
// long lines unwrapped, sideways past the line numbers (which stay put); then the box itself.
function showMark(mark, shown) {
  const box = shown.getBoundingClientRect();
  const at = mark.getClientRects()[0] || mark.getBoundingClientRect();
  shown.scrollTop += at.top - box.top - shown.clientHeight / 3;
  const numbers = shown.querySelector(".ln");
  const gutter = numbers ? numbers.getBoundingClientRect().width : 0;
  const left = at.left - box.left;
  if (left < gutter || left > shown.clientWidth - 40) shown.scrollLeft += left - gutter - 20;
  shown.scrollIntoView({ block: "nearest" });
}

// Wrapping switched on or off: the quote moved; bring it back into view.
document.addEventListener("change", (event) => {
  if (!event.target.closest || !event.target.closest("#viewer .wrap-toggle")) return;
  const mark = document.querySelector("#viewer mark");
  const shown = document.querySelector("#viewer .doc");
  if (mark && shown) showMark(mark, shown);
});

// On a phone each source's passage is a box of its own (at most 220 px high), as is each of
// Find's matches: when they arrive, scroll each box to its first mark, centred when it fits.
const BOXES = "#sources .passage:not([data-scrolled]), #find_results .passage:not([data-scrolled])";
new MutationObserver(() => {
  document.querySelectorAll(BOXES).forEach((box) => {
    const mark = box.querySelector("mark");
    if (!box.clientHeight) return; // not laid out yet: the next change tries again
    box.dataset.scrolled = "1";
    if (!mark || box.scrollHeight <= box.clientHeight) return;
    const at = mark.getBoundingClientRect();
    const room = Math.max(8, (box.clientHeight - at.height) / 2);
    box.scrollTop += at.top - box.getBoundingClientRect().top - room;
  });
}).observe(document.documentElement, { childList: true, subtree: true });
