package glossary

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// CheckCatalogs checks every Nepali catalog file matching pattern (a glob,
// so files other parts of the program add are checked as soon as they
// exist): banned forms and English words in every message.
func CheckCatalogs(pattern string) ([]Problem, int, error) {
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, 0, err
	}
	var out []Problem
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, 0, err
		}
		msgs := map[string]string{}
		if err := json.Unmarshal(b, &msgs); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", f, err)
		}
		keys := make([]string, 0, len(msgs))
		for k := range msgs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, p := range append(Check(msgs[k]), CheckEnglish(msgs[k])...) {
				p.Where = filepath.Base(f) + " " + k
				out = append(out, p)
			}
		}
	}
	return out, len(files), nil
}

var (
	templateAction = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	htmlTag        = regexp.MustCompile(`(?s)<[^>]*>`)
	htmlEntity     = regexp.MustCompile(`&[#a-zA-Z0-9]+;`)
	pathLike       = regexp.MustCompile(`\S*/\S*`) // a URL shown as text
	// A define that writes attributes into its caller's tag (field_attrs)
	// holds them as text of its own: name="value" pairs and the boolean
	// attributes are markup, not words a page shows.
	attribute        = regexp.MustCompile(`[a-zA-Z-]+="[^"]*"`)
	booleanAttribute = regexp.MustCompile(`\b(required|selected|checked|disabled|readonly|multiple|novalidate|hidden|autofocus)\b`)
)

// CheckTemplates checks the text of every template under dir: banned forms
// anywhere (labels belong in the catalogs, but a Nepali word written into a
// template must follow the glossary too) and English words in the text a
// page shows outside {{…}} actions and tags.
func CheckTemplates(dir string) ([]Problem, int, error) {
	var out []Problem
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		n++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			where := fmt.Sprintf("%s:%d", filepath.Base(path), i+1)
			for _, p := range Check(line) {
				p.Where = where
				out = append(out, p)
			}
		}
		text := htmlEntity.ReplaceAllString(htmlTag.ReplaceAllString(templateAction.ReplaceAllString(string(b), ""), " "), " ")
		text = pathLike.ReplaceAllString(text, " ")
		text = booleanAttribute.ReplaceAllString(attribute.ReplaceAllString(text, " "), " ")
		for _, p := range CheckEnglish(text) {
			if p.Found == "English" { // the language switch names the other language in it
				continue
			}
			p.Where = filepath.Base(path)
			out = append(out, p)
		}
		return nil
	})
	return out, n, err
}

// CheckGoSources checks the string literals holding Devanagari in every Go
// file under root except tests and the files skip names: the Nepali the
// program prints itself (month names, money, seeded labels, store texts,
// PDF texts, demo records). Comments are not printed and not checked.
func CheckGoSources(root string, skip func(path string) bool) ([]Problem, int, error) {
	var out []Problem
	n := 0
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || skip(path) {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		n++
		ast.Inspect(f, func(node ast.Node) bool {
			lit, ok := node.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Devanagari, r) }) {
				return true
			}
			for _, p := range Check(s) {
				pos := fset.Position(lit.Pos())
				p.Where = fmt.Sprintf("%s:%d", pos.Filename, pos.Line)
				out = append(out, p)
			}
			return true
		})
		return nil
	})
	return out, n, err
}
