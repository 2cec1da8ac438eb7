package cli

import (
	"context"
	"fmt"

	"leoc/internal/cap"
	"leoc/internal/geo"
	"leoc/internal/store"
)

// maxBoundaryBytes bounds an imported boundary: a municipality's outline is
// kilobytes; a file this large is not one.
const maxBoundaryBytes = 20 << 20

// boundaryCommand imports the municipality's outer boundary (GeoJSON
// Polygon or MultiPolygon, WGS84). The CAP feed draws its area polygon from
// it; the map will too.
// boundaryImport is "leoc boundary import FILE".
func boundaryImport(ctx context.Context, env Env, args []string) error {
	b, err := env.ReadFile(args[0])
	if err != nil {
		return fmt.Errorf("read %s: %w", args[0], err)
	}
	if len(b) > maxBoundaryBytes {
		return fmt.Errorf("%s is larger than %d MB; a municipality boundary is much smaller", args[0], maxBoundaryBytes>>20)
	}
	boundary, err := geo.ParseBoundary(b)
	if err != nil {
		return fmt.Errorf("%s cannot be used as the municipality boundary: %w", args[0], err)
	}
	outer := boundary.OuterRing()
	simple := geo.Simplify(outer, 100) // as the CAP feed draws it
	if cap.Polygon(simple) == "" {
		return fmt.Errorf("%s: the boundary's largest polygon is too small to draw", args[0])
	}
	summary := map[string]any{"file": args[0], "polygons": len(boundary.Polygons), "points": boundary.PointCount()}
	return withStore(ctx, env, func(st *store.Store) error {
		if err := st.SetBoundary(ctx, cliActor, string(b), summary); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "municipality boundary imported: %d polygon(s), %d points; the CAP feed's area uses the largest outer ring (%d points, %d after simplification)\n",
			len(boundary.Polygons), boundary.PointCount(), len(outer), len(simple))
		return nil
	})
}
