package cli

import (
	"context"
	"flag"
	"fmt"

	"leoc/internal/geo"
	"leoc/internal/store"
)

// maxWardsBytes bounds an imported ward file: nine detailed ward outlines
// are a few hundred kilobytes.
const maxWardsBytes = 50 << 20

// wardsImport is "leoc wards import FILE --number-property NAME [--partial]":
// each feature of a GeoJSON FeatureCollection becomes one ward's polygon,
// its number read from the named property, its other properties kept. The
// flags may come before or after FILE, as the issue writes the command.
func wardsImport(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	property := fs.String("number-property", "", "the feature property that holds the ward number, e.g. id for \"ward_6\" (required)")
	partial := fs.Bool("partial", false, "allow a file that does not cover every ward; only the wards in it are replaced")
	return func(ctx context.Context, env Env, args []string) error {
		if len(args) == 0 {
			return &usageError{msg: "wards import needs FILE"}
		}
		file := args[0]
		if err := fs.Parse(args[1:]); err != nil {
			return &usageError{msg: "wards import: " + err.Error()}
		}
		if fs.NArg() > 0 {
			return &usageError{msg: fmt.Sprintf("wards import: unexpected argument %q", fs.Arg(0))}
		}
		if *property == "" {
			return &usageError{msg: "wards import needs --number-property NAME"}
		}
		polys, points, err := readWardFile(env, file, *property)
		if err != nil {
			return err
		}
		summary := map[string]any{"file": file, "number_property": *property, "points": points}
		return withStore(ctx, env, func(st *store.Store) error {
			if err := st.ImportWardPolygons(ctx, cliActor, polys, *partial, summary); err != nil {
				return fmt.Errorf("%s: %w", file, describe(err))
			}
			fmt.Fprintf(env.Stdout, "ward polygons imported: %d ward(s), %d points\n", len(polys), points)
			return nil
		})
	}
}

// readWardFile parses and checks a ward file: every feature a valid
// polygon with a ward number.
func readWardFile(env Env, file, property string) ([]store.WardPolygon, int, error) {
	b, err := env.ReadFile(file)
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", file, err)
	}
	if len(b) > maxWardsBytes {
		return nil, 0, fmt.Errorf("%s is larger than %d MB; ward polygons are much smaller", file, maxWardsBytes>>20)
	}
	features, err := geo.ParseFeatures(b)
	if err != nil {
		return nil, 0, fmt.Errorf("%s cannot be used as ward polygons: %w", file, err)
	}
	var polys []store.WardPolygon
	points := 0
	for i, f := range features {
		n, err := f.Number(property)
		if err != nil {
			return nil, 0, fmt.Errorf("%s, feature %d: %w", file, i+1, err)
		}
		if err := f.Area.CheckRings(); err != nil {
			return nil, 0, fmt.Errorf("%s, feature %d (ward %d): %w", file, i+1, n, err)
		}
		points += f.Area.PointCount()
		polys = append(polys, store.WardPolygon{Ward: n, Geometry: string(f.Area.GeoJSON()), Properties: string(f.Properties)})
	}
	return polys, points, nil
}
