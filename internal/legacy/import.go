// Package legacy moves the records of an old Flask LEOC installation into
// this one (`leoc import-legacy`). Every old row is mapped into the domain's
// Input type and goes through its Apply, so it is validated exactly like a
// typed record; what the domain refuses is reported, never forced in. The
// whole import is one transaction: all or nothing.
package legacy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"leoc/internal/bs"
	"leoc/internal/files"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Options says what to import and how.
type Options struct {
	From    string // the old SQLite database
	Uploads string // the old uploads folder ("" = do not copy files)
	DryRun  bool   // compute the report, write nothing
	// Files is where copied uploads go (required with Uploads); Limits are
	// the upload limits they are checked against (zero: the defaults).
	Files  files.Storage
	Limits files.Limits
	// Progress receives records per table and, for large tables, a progress
	// bar; nil for none. Terminal says it is a terminal (bars redraw in place).
	Progress io.Writer
	Terminal bool
}

// Actor is who imported records are created by in the audit trail.
var Actor = store.Actor{Username: "legacy-import"}

// importUser is the authority the import writes with: every ward, and the
// right to record a household twice for one disaster with a reason, which
// the old history needs when the old system allowed what ours refuses.
var importUser = &leoc.User{Username: Actor.Username, Role: leoc.RoleAdmin, CanUnlock: true, SeeAllPersonal: true}

// errDryRun rolls the dry run's transaction back after the report is made.
var errDryRun = errors.New("legacy: dry run")

type importer struct {
	st    *store.Store
	tx    *store.Tx
	cal   *bs.Calendar
	src   *source
	opts  Options
	rep   *Report
	lists *lists
	actor store.Actor
	prog  *progress

	wards   []int
	pending []store.LegacyImportItem
	// rules are the distribution rules as of rulesAt list values added.
	rules   *leoc.DistributionRules
	rulesAt int
	// keys are the distributions' duplicate keys in use.
	keys map[string]int64
	// copiedFiles are the storage keys written, removed again if the
	// transaction does not commit.
	copiedFiles []string
}

// Import reads the old database at opts.From and imports it into st. It
// returns the report; on an error nothing was written.
func Import(ctx context.Context, st *store.Store, cal *bs.Calendar, opts Options) (*Report, error) {
	src, err := openSource(ctx, opts.From)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if opts.Uploads != "" {
		if opts.Files == nil {
			return nil, errors.New("legacy: a file store is needed to copy uploads")
		}
		if fi, err := os.Stat(opts.Uploads); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("legacy: the uploads folder %s cannot be read (is it a folder?)", opts.Uploads)
		}
	}
	im := &importer{st: st, cal: cal, src: src, opts: opts, actor: Actor,
		rep: &Report{DryRun: opts.DryRun, NextSitrep: map[int]int{}}, prog: &progress{w: opts.Progress, terminal: opts.Terminal}}
	if im.lists, err = newLists(ctx, st); err != nil {
		return nil, err
	}
	im.lists.im = im
	wards, err := st.Wards(ctx)
	if err != nil {
		return nil, err
	}
	for _, w := range wards {
		im.wards = append(im.wards, w.Number)
	}
	err = st.WithTx(store.ImportingHistory(ctx), func(tx *store.Tx) error {
		im.tx = tx
		if err := tx.BulkWrite(ctx); err != nil {
			return err
		}
		if err := im.run(store.ImportingHistory(ctx)); err != nil {
			return err
		}
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		// Files copied for records that were rolled back would have no row.
		im.removeCopied(context.WithoutCancel(ctx), im.copiedFiles)
		return nil, err
	}
	return im.rep, nil
}

// run imports the tables in an order that lets each find what it links
// to: lists first, beneficiaries before the distributions that recognise
// them, the fund's income before the expenditures it covers.
func (im *importer) run(ctx context.Context) error {
	steps := []struct {
		table string
		fn    func(context.Context) error
	}{
		{"app_settings", im.importSettings},
		{"social_security_beneficiary", im.importBeneficiaries},
		{"disaster", im.importIncidents},
		{"event_log", im.importEventLogs},
		{"situation_report", im.importSitreps},
		{"public_information", im.importAdvisories},
		{"fund_transaction", im.importFund},
		{"daily_report_log", im.importSitrepNumbers},
		{"inventory_item", im.importInventory},
	}
	for _, s := range steps {
		start := time.Now()
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("legacy: %s: %w", s.table, err)
		}
		if err := im.flush(ctx); err != nil {
			return fmt.Errorf("legacy: %s: %w", s.table, err)
		}
		im.prog.done(im.rep.table(s.table), time.Since(start))
	}
	return nil
}

// imported loads the ids of a table's rows imported by an earlier run.
func (im *importer) imported(ctx context.Context, table string) (map[string]int64, error) {
	return im.tx.LegacyImportedIDs(ctx, table)
}

// record notes an imported row with its origin, to be written (and
// audited) with the next batch.
func (im *importer) record(ctx context.Context, table string, r row, register string, id int64) error {
	return im.noteRow(ctx, table, r, register, id, store.LegacyImportItem{})
}

// recordWith is record with further legacy rows named in the audit entry.
func (im *importer) recordWith(ctx context.Context, table string, r row, register string, id int64, also map[string]string) error {
	return im.noteRow(ctx, table, r, register, id, store.LegacyImportItem{Also: also})
}

// recordAuditedWith is record for a row whose import another row's audit
// entry names (a relief expenditure, named by its distribution's).
func (im *importer) recordAuditedWith(ctx context.Context, table string, r row, register string, id int64, with string) error {
	return im.noteRow(ctx, table, r, register, id, store.LegacyImportItem{AuditedWith: with})
}

func (im *importer) noteRow(ctx context.Context, table string, r row, register string, id int64, it store.LegacyImportItem) error {
	created, ok := instant(r.str("created_at"))
	if !ok {
		created = im.st.Now()
	}
	updated, ok := instant(r.str("updated_at"))
	if !ok {
		updated = created
	}
	im.rep.table(table).Imported++
	it.LegacyImport = store.LegacyImport{Table: table, LegacyID: r.legacyID(), Register: register, RecordID: id}
	it.Origin = &store.LegacyOrigin{CreatedAt: created, UpdatedAt: updated, Locked: r.locked()}
	return im.note(ctx, it)
}

// note queues an imported row; the queue is written in batches.
func (im *importer) note(ctx context.Context, it store.LegacyImportItem) error {
	im.pending = append(im.pending, it)
	if len(im.pending) >= 500 {
		return im.flush(ctx)
	}
	return nil
}

func (im *importer) flush(ctx context.Context) error {
	if len(im.pending) == 0 {
		return nil
	}
	err := im.tx.RecordLegacyImports(ctx, im.actor, im.pending)
	im.pending = im.pending[:0]
	return err
}

// importInventory reports the inventory as not imported: this version has
// no inventory register yet.
func (im *importer) importInventory(ctx context.Context) error {
	if !im.src.has("inventory_item") {
		return nil
	}
	n, err := im.src.count(ctx, "inventory_item")
	if err != nil {
		return err
	}
	im.rep.table("inventory_item").Read = n
	if n > 0 {
		im.rep.NotImported = append(im.rep.NotImported, Skipped{Table: "inventory_item", Reason: leoc.M("legacy.not.inventory", n)})
	}
	return nil
}
