import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, Role, Session } from './api';
import { localTime, utcTime } from './format';

/** `GET /services/{id}/notes` (docs/API.md §4.5). */
interface Note {
  note_id: number;
  text: string;
  author?: string;
  created_at: string;
}

/**
 * The notes of the selected service, oldest first, and (writer and admin keys) a form to add one. What is
 * typed stays while the view refreshes: the form is this component's own state.
 */
export function Notes({
  session,
  role,
  serviceId,
}: {
  session: Session;
  role: Role;
  serviceId: number;
}) {
  const [notes, setNotes] = useState<Note[] | undefined>();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const path = `/services/${serviceId}/notes`;

  const load = () =>
    call<Note[]>(session, 'GET', path).then(
      (found) => {
        setNotes(found);
        setProblem(undefined);
      },
      (error: ApiError) => setProblem(error.message),
    );

  useEffect(() => {
    setNotes(undefined);
    void load();
    // Another service selected: its own notes.
  }, [serviceId]);

  return (
    <section class="notes" aria-label="Notes">
      <h4>Notes</h4>
      {notes === undefined ? (
        <p class="muted">{problem ?? 'loading…'}</p>
      ) : notes.length === 0 ? (
        <p class="muted">none</p>
      ) : (
        <ol class="note-list">
          {notes.map((note) => {
            const at = Date.parse(note.created_at);
            return (
              <li key={note.note_id} data-note-id={note.note_id}>
                <p>{note.text}</p>
                <p class="muted">
                  <time dateTime={note.created_at} title={utcTime(at)}>
                    {localTime(at)}
                  </time>
                  {note.author && <> · {note.author}</>}
                </p>
              </li>
            );
          })}
        </ol>
      )}
      {role !== 'reader' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setBusy(true);
            call(session, 'POST', path, { text })
              .then(() => {
                setText('');
                return load();
              })
              .catch((error: ApiError) => setProblem(error.message))
              .finally(() => setBusy(false));
          }}
        >
          <label>
            New note
            <textarea
              required
              maxLength={2000}
              rows={2}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy}>
            Add note
          </button>
        </form>
      )}
      {problem && notes !== undefined && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
