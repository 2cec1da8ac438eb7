package server

import (
	"strings"

	"leoc/internal/leoc"
)

// The main menu is data: a new register adds one line to its group. Groups
// are shown as disclosures (<details>), so they open with the keyboard and
// without JavaScript. Only groups with a link the user may open are shown.
type navLink struct {
	Key  string          // catalog key of the label
	Href string          // the page
	Perm leoc.Permission // who sees it ("" = any logged-in user)
}

type navGroup struct {
	Key   string // catalog key of the group's name
	Links []navLink
}

var mainMenu = []navGroup{
	{Key: "nav.group.operations", Links: []navLink{
		{Key: "nav.incidents", Href: "/incidents", Perm: leoc.PermRead},
		{Key: "nav.event_logs", Href: "/event-logs", Perm: leoc.PermRead},
	}},
	{Key: "nav.group.relief", Links: []navLink{
		{Key: "nav.distributions", Href: "/distributions", Perm: leoc.PermRead},
		// The relief store in the same group: a seventh group does not fit
		// the English header on one line at 1366 px (TestNavigationFits).
		{Key: "nav.stock", Href: "/inventory/stock", Perm: leoc.PermRead},
		{Key: "nav.inventory_items", Href: "/inventory/items", Perm: leoc.PermRead},
		{Key: "nav.warehouses", Href: "/inventory/warehouses", Perm: leoc.PermRead},
		{Key: "invdoc.receipt.title", Href: "/inventory/receipts", Perm: leoc.PermRead},
		{Key: "invdoc.transfer.title", Href: "/inventory/transfers", Perm: leoc.PermRead},
		{Key: "invdoc.adjustment.title", Href: "/inventory/adjustments", Perm: leoc.PermRead},
		{Key: "invdoc.dispatch.title", Href: "/inventory/dispatches", Perm: leoc.PermRead},
	}},
	{Key: "nav.group.fund", Links: []navLink{
		{Key: "nav.funds", Href: "/funds", Perm: leoc.PermRead},
	}},
	{Key: "nav.group.registers", Links: []navLink{
		{Key: "nav.beneficiaries", Href: "/beneficiaries", Perm: leoc.PermRead},
		{Key: "nav.contacts", Href: "/contacts", Perm: leoc.PermRead},
	}},
	{Key: "nav.group.reports", Links: []navLink{
		{Key: "nav.reports", Href: "/reports", Perm: leoc.PermRead},
		{Key: "nav.sitreps", Href: "/situation-reports", Perm: leoc.PermRead},
		{Key: "nav.stats", Href: "/incidents/stats", Perm: leoc.PermRead},
		{Key: "nav.distribution_stats", Href: "/distributions/stats", Perm: leoc.PermRead},
		{Key: "nav.advisories", Href: "/advisories", Perm: leoc.PermRead},
	}},
	{Key: "nav.group.admin", Links: []navLink{
		{Key: "nav.users", Href: "/users", Perm: leoc.PermManageUsers},
		{Key: "nav.settings", Href: "/settings", Perm: leoc.PermManageSetting},
		{Key: "nav.audit", Href: "/audit", Perm: leoc.PermViewAudit},
	}},
}

// NavEntry is one link of the menu as a page shows it.
type NavEntry struct {
	Label   string
	Href    string
	Current bool
}

// NavSection is one group of the menu as a page shows it: only the links
// the user may open, the current one marked.
type NavSection struct {
	Label   string
	Links   []NavEntry
	Current bool
}

// Nav is the menu for this page's user. The current link is the one whose
// address is the longest prefix of the page's path (/incidents/7 belongs to
// /incidents, /incidents/stats to itself).
func (p *page) Nav() []NavSection {
	if p.User == nil {
		return nil
	}
	best := ""
	for _, g := range mainMenu {
		for _, l := range g.Links {
			if p.visible(l) && pathUnder(p.Path, l.Href) && len(l.Href) > len(best) {
				best = l.Href
			}
		}
	}
	var out []NavSection
	for _, g := range mainMenu {
		sec := NavSection{Label: p.T(g.Key)}
		for _, l := range g.Links {
			if !p.visible(l) {
				continue
			}
			e := NavEntry{Label: p.T(l.Key), Href: l.Href, Current: l.Href == best}
			sec.Current = sec.Current || e.Current
			sec.Links = append(sec.Links, e)
		}
		if len(sec.Links) > 0 {
			out = append(out, sec)
		}
	}
	return out
}

func (p *page) visible(l navLink) bool { return l.Perm == "" || p.User.Can(l.Perm) }

func pathUnder(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}
