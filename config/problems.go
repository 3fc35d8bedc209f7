package config

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with the stack config: the key (with its path into objects and
// lists), the offending value when it is not a secret, and what is allowed.
type Problem struct {
	Key   string
	Value string
	Msg   string
}

func (p Problem) String() string {
	if p.Value == "" {
		return fmt.Sprintf("%s: %s", p.Key, p.Msg)
	}
	return fmt.Sprintf("%s %q: %s", p.Key, p.Value, p.Msg)
}

// Problems is every problem found, reported together so one edit can fix them all.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, 0, len(ps)+1)
	noun := "problems"
	if len(ps) == 1 {
		noun = "problem"
	}
	lines = append(lines, fmt.Sprintf("stack config has %d %s:", len(ps), noun))
	for _, p := range ps {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

func (ps *Problems) add(key, value, msg string) {
	*ps = append(*ps, Problem{Key: key, Value: value, Msg: msg})
}
