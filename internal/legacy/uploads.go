package legacy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"leoc/internal/files"
	"leoc/internal/store"
)

// oldUpload is a file an old relief row names: its handover photo
// (image_filename) or a scanned document (documents).
type oldUpload struct {
	name string
	kind string
}

// uploadNames lists the files of an old relief row. documents held a JSON
// list of names in later versions and a comma-separated string before.
func uploadNames(r row) []oldUpload {
	var out []oldUpload
	if n := r.str("image_filename"); n != "" {
		out = append(out, oldUpload{n, files.KindPhoto})
	}
	docs := r.str("documents")
	var names []string
	if err := json.Unmarshal([]byte(docs), &names); err != nil {
		names = strings.Split(docs, ",")
	}
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, oldUpload{n, files.KindDocument})
		}
	}
	return out
}

// copyUploads copies an imported distribution's old files into the file
// store, each checked by content exactly as an upload through the web
// form is. A missing or refused file is reported; the record is imported
// either way. A dry run checks the files and stores nothing.
func (im *importer) copyUploads(ctx context.Context, p *importedDistribution) error {
	const table = "relief_distribution"
	if len(p.files) == 0 {
		return nil
	}
	if im.opts.Uploads == "" {
		im.rep.warn(WarnNoUploadsDir, table, p.r.legacyID(), "legacy.detail.uploads_not_given", len(p.files))
		return nil
	}
	limits := im.opts.Limits
	if limits == (files.Limits{}) {
		limits = files.DefaultLimits
	}
	for _, u := range p.files {
		data, err := im.readUpload(u.name, limits.Of(u.kind))
		if errors.Is(err, fs.ErrNotExist) {
			im.rep.warn(WarnUploadMissing, table, p.r.legacyID(), "legacy.detail.upload_missing", u.name)
			continue
		}
		if err != nil {
			im.rep.warn(WarnUploadInvalid, table, p.r.legacyID(), "legacy.detail.upload_invalid", u.name, err.Error())
			continue
		}
		checked, err := files.Check(u.kind, data, limits)
		if re, ok := files.IsReject(err); ok {
			im.rep.warn(WarnUploadInvalid, table, p.r.legacyID(), "legacy.detail.upload_invalid", u.name, re.Reason)
			continue
		}
		if err != nil {
			return err
		}
		if im.opts.DryRun {
			continue
		}
		key, err := files.NewKey()
		if err != nil {
			return err
		}
		n, err := im.opts.Files.Put(ctx, key, bytes.NewReader(checked.Data))
		if err != nil {
			return err
		}
		im.copiedFiles = append(im.copiedFiles, key)
		a := &store.Attachment{RecordID: p.d.ID, Kind: u.kind, Name: files.DisplayName(filepath.Base(u.name), checked.ContentType),
			ContentType: checked.ContentType, Size: n, StorageKey: key, SHA256: checked.SHA256}
		if err := im.tx.CreateAttachment(ctx, im.actor, importUser, store.DistributionRegister, a); err != nil {
			return err
		}
	}
	return nil
}

// readUpload reads an old file by its name inside the uploads folder only:
// the name comes from the old database and must not lead outside it.
func (im *importer) readUpload(name string, limit int64) ([]byte, error) {
	root, err := os.OpenRoot(im.opts.Uploads)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	// The name as stored first (it may include a sub-folder), then the bare
	// file name; a name leading outside the folder is refused by the root.
	rel := filepath.Clean(strings.TrimPrefix(filepath.ToSlash(name), "/"))
	f, err := root.Open(rel)
	if err != nil {
		if f, err = root.Open(filepath.Base(rel)); err != nil {
			return nil, fs.ErrNotExist
		}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errors.New(files.ReasonTooLarge)
	}
	return data, nil
}

// removeCopied deletes the files of an import that was rolled back, so no
// stored file is left without its record.
func (im *importer) removeCopied(ctx context.Context, keys []string) {
	for _, k := range keys {
		_ = im.opts.Files.Delete(ctx, k) // best effort: `leoc files purge` finds nothing for them, they have no row
	}
}
