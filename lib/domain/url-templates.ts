/**
 * Links into other tools from a configured URL template (TRACE_URL_TEMPLATE with `{traceId}`,
 * SUPPORT_TICKET_URL_TEMPLATE with `{ticketId}`): the placeholder replaced by the encoded value;
 * undefined without a template or a value.
 */
export function fillUrlTemplate(
  template: string | null | undefined,
  placeholder: '{traceId}' | '{ticketId}',
  value: string,
): string | undefined {
  return template && value ? template.replaceAll(placeholder, encodeURIComponent(value)) : undefined;
}
