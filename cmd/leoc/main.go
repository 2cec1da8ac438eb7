// Command leoc is the records system of a municipal Local Emergency
// Operations Centre in Nepal. See the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"leoc/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}
