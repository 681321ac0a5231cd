package main

import (
	"io"
	"strings"
	"testing"
)

func TestRunRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-addr", ":8787"},
		{"-mode", "down"},
		{"-status", "bogus"},
		{"-api", "418"},
		{"-claude", "gone"},
		{"-api-addr", "0.0.0.0:0"},
	} {
		if err := run(args, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

func TestModeListNamesEveryMode(t *testing.T) {
	if l := modeList(); !strings.Contains(l, "operational") || !strings.Contains(l, "maintenance") {
		t.Errorf("modeList = %q", l)
	}
}
