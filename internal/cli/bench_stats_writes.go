package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"leoc/internal/loadbench"
)

// statsWriteEvery is how often the "statistics under writes" scenario
// records an incident (issue 15, item 4: a write every 2 seconds).
const statsWriteEvery = 2 * time.Second

// statsUnderWrites is the scenario of issue 15, item 4: the cached
// statistics answers asked in turn while an incident is recorded every two
// seconds; each write moves the statistics cache on, so the first readers
// of each answer after it wait for the answer to be computed again.
func statsUnderWrites(c *loadbench.Client, paths []string, date string) loadbench.Scenario {
	return loadbench.Scenario{
		Name: "stats under writes (cached answers in turn, an incident every 2 s)", Method: "GET", Paths: paths,
		During: func(ctx context.Context) error {
			t := time.NewTicker(statsWriteEvery)
			defer t.Stop()
			// The first write at once (a short run still writes), then one
			// every statsWriteEvery.
			for i := 0; ; i++ {
				body, _ := json.Marshal(map[string]any{"date_bs": date, "time": "02:10", "type": "landslide", "ward": 1 + i%9,
					"description": fmt.Sprintf("leoc bench %d", i), "affected_households": 1})
				code, resp, err := c.Do(context.WithoutCancel(ctx), "POST", "/api/v1/incidents", body)
				if err != nil {
					return err
				}
				if code != 201 {
					return fmt.Errorf("create incident: %d %s", code, resp)
				}
				select {
				case <-ctx.Done():
					return nil
				case <-t.C:
				}
			}
		},
	}
}
