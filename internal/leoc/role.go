package leoc

// Role is what a user is for; permissions follow from it.
type Role string

const (
	RoleAdmin   Role = "admin"   // IT / LEOC focal person: users, settings, unlock, backups
	RoleOfficer Role = "officer" // LEOC staff, ward secretaries: enter records
	RoleFinance Role = "finance" // finance officer: fund ledger
	RoleViewer  Role = "viewer"  // CAO, mayor, partners: read, print, export
)

// Roles lists every role in the order screens show them.
var Roles = []Role{RoleAdmin, RoleOfficer, RoleFinance, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Permission is one thing a user may do.
type Permission string

const (
	PermRead          Permission = "read"            // see registers, print, export
	PermWriteRecords  Permission = "write_records"   // create/edit incidents, distributions, logs…
	PermWriteFinance  Permission = "write_finance"   // manual fund ledger entries
	PermManageUsers   Permission = "manage_users"    // accounts and tokens of others
	PermManageSetting Permission = "manage_settings" // municipality, wards, lists
	PermViewAudit     Permission = "view_audit"      // the audit trail
	PermUnlock        Permission = "unlock"          // unlock locked records (also needs the key)
	// PermPublish: create, activate, edit or delete a public advisory (what
	// reaches the public page and the CAP feed) and write situation reports.
	// A user limited to wards holds it only when the office setting
	// "ward users may publish" grants it (User.WardPublish).
	PermPublish Permission = "publish"
)

var rolePermissions = map[Role][]Permission{
	RoleAdmin:   {PermRead, PermWriteRecords, PermWriteFinance, PermManageUsers, PermManageSetting, PermViewAudit, PermUnlock, PermPublish},
	RoleOfficer: {PermRead, PermWriteRecords, PermPublish},
	RoleFinance: {PermRead, PermWriteFinance},
	RoleViewer:  {PermRead},
}

// Can reports whether role r grants p.
func (r Role) Can(p Permission) bool {
	for _, x := range rolePermissions[r] {
		if x == p {
			return true
		}
	}
	return false
}
