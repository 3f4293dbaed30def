// Progressive enhancement only: every form works without this script.
// Forms marked data-inplace are posted in the background and their item is updated where it stands.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-inplace')) return;
  event.preventDefault();
  const data = new FormData(form);
  if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
  const item = form.closest('[data-item]');
  try {
    const response = await fetch(form.action, { method: 'POST', body: data, headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin' });
    if (!response.ok) { form.submit(); return; }
    const text = await response.text();
    if (item) {
      item.classList.add('closed');
      item.querySelectorAll('form').forEach((f) => f.remove());
      const note = document.createElement('div');
      note.className = 'muted small';
      note.setAttribute('role', 'status');
      note.textContent = text;
      item.querySelector('.what')?.appendChild(note);
    }
  } catch {
    form.submit();
  }
});

// Pipeline board (/deals): drag a card onto another stage's column to press that stage's move button; the move goes
// through the same form (and so the same pipeline rules and guards) as the buttons. Columns a card cannot move to do
// not take the drop.
(() => {
  let dragged = null;
  const targets = (card) => new Set((card.dataset.moves || '').split(' ').filter(Boolean));
  const columns = () => document.querySelectorAll('.stage[data-stage]');
  const accepts = (column) => dragged && column.dataset.pipeline === dragged.dataset.pipeline && targets(dragged).has(column.dataset.stage);
  document.addEventListener('dragstart', (event) => {
    const card = event.target instanceof Element ? event.target.closest('.deal[draggable="true"]') : null;
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', card.id);
    columns().forEach((c) => c.classList.toggle('drop-ok', accepts(c)));
  });
  document.addEventListener('dragend', () => {
    dragged = null;
    columns().forEach((c) => c.classList.remove('drop-ok', 'drop-over'));
  });
  document.addEventListener('dragover', (event) => {
    const column = event.target instanceof Element ? event.target.closest('.stage[data-stage]') : null;
    if (!column || !accepts(column)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    columns().forEach((c) => c.classList.toggle('drop-over', c === column));
  });
  document.addEventListener('drop', (event) => {
    const column = event.target instanceof Element ? event.target.closest('.stage[data-stage]') : null;
    if (!column || !accepts(column)) return;
    event.preventDefault();
    const form = dragged.querySelector('form.moves');
    const button = Array.from(form.querySelectorAll('button[name="to"]')).find((b) => b.value === column.dataset.stage);
    if (button) form.requestSubmit(button);
  });
})();
