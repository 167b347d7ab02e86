export * from './accounts.types.ts';
export { ACCOUNTS_ERRORS, accountsError, type AccountsErrorCode } from './accounts.errors.ts';
export { canAccounts } from './accounts.policy.ts';
export { createOrganization, CreateOrganizationInput } from './create-organization.ts';
export { updateOrganization, UpdateOrganizationInput } from './update-organization.ts';
export { getOrganization, listOrganizations, type ListOrganizationsQuery } from './get-organization.ts';
export { putEnvironment, PutEnvironmentInput, getEnvironment, listEnvironmentHistory } from './update-environment.ts';
export { findOrganization, findOrganizationPlanCode, findUnassignedOrganizationId, setOrganizationPlanCode } from './accounts.repo.ts';
