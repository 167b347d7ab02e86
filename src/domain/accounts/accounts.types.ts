import { z } from 'zod';

export const ACCOUNT_TEAM_ROLES = ['tam', 'csm', 'am', 'renewal', 'sales', 'implementation'] as const;
export const AccountTeamRole = z.enum(ACCOUNT_TEAM_ROLES);
export type AccountTeamRole = z.infer<typeof AccountTeamRole>;

export const AccountTeamMember = z.object({ userId: z.uuid(), role: AccountTeamRole });
export type AccountTeamMember = z.infer<typeof AccountTeamMember>;

export const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'a domain such as example.com');

export const Organization = z.object({
  id: z.uuid(),
  name: z.string(),
  planCode: z.string().nullable(),
  tamId: z.uuid().nullable(),
  domains: z.array(z.string()),
  sharesCases: z.boolean().describe('Contacts see every case of their organisation, not only their own'),
  accountTeam: z.array(AccountTeamMember),
  environmentVersion: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organization = z.infer<typeof Organization>;

export const EnvironmentComponent = z
  .object({
    product: z.string().trim().min(1).max(200),
    version: z.string().trim().max(100).optional(),
    database: z.string().trim().max(100).optional(),
    databaseVersion: z.string().trim().max(100).optional(),
    os: z.string().trim().max(100).optional(),
    osVersion: z.string().trim().max(100).optional(),
    specialConfiguration: z.string().max(5000).optional().describe('Custom load balancers, reverse proxies, …'),
    notes: z.string().max(5000).optional(),
  })
  .strict();
export type EnvironmentComponent = z.infer<typeof EnvironmentComponent>;

export const EnvironmentProfile = z.object({
  organizationId: z.uuid(),
  version: z.number().int(),
  components: z.array(EnvironmentComponent),
  notes: z.string(),
  diagramAttachmentIds: z.array(z.uuid()),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type EnvironmentProfile = z.infer<typeof EnvironmentProfile>;
