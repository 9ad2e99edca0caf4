// Reads a command record. Its body is authoritative: the ids come from it (the headers only repeat them), the reply's
// topic from the reply-to header. A record that is not JSON, names no correlation id or saga, or has no reply-to
// cannot be answered: it is skipped (the contract says so; the orchestrator never sends one).
export const HEADERS = {
  sagaId: 'saga-id',
  correlationId: 'correlation-id',
  commandType: 'command-type',
  replyTo: 'reply-to'
}

/** { command, replyTo }, or { skip: why }. */
export function readCommand (message) {
  const replyTo = message.headers?.[HEADERS.replyTo]?.toString('utf8')
  let body
  try {
    body = JSON.parse(message.value?.toString('utf8') ?? '')
  } catch (notJson) {
    return { skip: 'not JSON' }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { skip: 'not a JSON object' }
  }
  const correlationId = nonBlank(body.correlationId)
  const sagaId = nonBlank(body.sagaId) ?? sagaIdOf(correlationId)
  if (!correlationId || !sagaId) {
    return { skip: 'no correlation id or saga id' }
  }
  if (!replyTo) {
    return { skip: 'no reply-to header' }
  }
  return { command: { ...body, correlationId, sagaId }, replyTo }
}

function nonBlank (value) {
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

/** <saga-id>:<step>:<do|undo> → saga-id */
function sagaIdOf (correlationId) {
  const end = correlationId ? correlationId.indexOf(':') : -1
  return end > 0 ? correlationId.substring(0, end) : null
}
