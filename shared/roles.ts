export const Role = {
  Correspondent: 'correspondent',
  Editor: 'editor',
  Chief: 'chief',
  Admin: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = Object.values(Role) as [Role, ...Role[]];

/** Roles that work the desk: open every document of their newsroom. */
export function isDeskRole(role: Role): boolean {
  return role === Role.Editor || role === Role.Chief || role === Role.Admin;
}
