import { useQuery } from '@tanstack/react-query';
import { optionalApi } from '../../app/api.ts';

/** The admin view of inbound mail and address flags (mirrors src/domain/mail/inbound-admin.types.ts). */
export type InboundMailState = 'received' | 'processed' | 'ignored' | 'duplicate' | 'rate-limited' | 'failed';
export type InboundMail = {
  id: string;
  state: InboundMailState;
  classification: 'normal' | 'auto-reply' | 'bounce' | 'feedback' | null;
  fromAddress: string | null;
  subject: string | null;
  messageId: string | null;
  receivedAt: string;
  lastError: string | null;
  outcome: Record<string, unknown>;
  ticketId: string | null;
};
export type MailAddressFlag = { address: string; reason: string; detail: Record<string, unknown>; inboundMailId: string | null; flaggedAt: string };

/** Inbound mail that opened no case (failed, rate-limited, ignored); null while the route is not deployed. */
export function useUnopenedMail() {
  return useQuery({
    queryKey: ['inbound-mail', 'unopened'],
    queryFn: () => optionalApi<{ items: InboundMail[] }>('/mail/inbound?state=failed,rate-limited,ignored&limit=100').then((page) => page?.items ?? null),
  });
}

/** Addresses whose mail bounced; null while the route is not deployed. */
export function useAddressFlags() {
  return useQuery({ queryKey: ['address-flags'], queryFn: () => optionalApi<{ items: MailAddressFlag[] }>('/mail/address-flags').then((page) => page?.items ?? null) });
}
