package cost

// This file owns reading resource inputs: plan inputs are plain JSON values (maps, slices,
// float64, string, bool), the same in-process and after a round trip through plan.json.

import (
	"strings"
)

// value walks path through nested maps; nil when any step is missing.
func value(m map[string]any, path ...string) any {
	var cur any = m
	for _, k := range path {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[k]
	}
	return cur
}

func str(m map[string]any, path ...string) string {
	s, _ := value(m, path...).(string)
	return s
}

// num returns a number input and whether it was set.
func num(m map[string]any, path ...string) (float64, bool) {
	switch v := value(m, path...).(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	}
	return 0, false
}

// boolean returns a boolean input, or def when it is not set.
func boolean(m map[string]any, def bool, path ...string) bool {
	if b, ok := value(m, path...).(bool); ok {
		return b
	}
	return def
}

func objects(m map[string]any, path ...string) []map[string]any {
	arr, _ := value(m, path...).([]any)
	var out []map[string]any
	for _, e := range arr {
		if o, ok := e.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

func list(m map[string]any, path ...string) []any {
	arr, _ := value(m, path...).([]any)
	return arr
}

// lastSegment is the name at the end of an ARM id ("/subscriptions/.../disks/disk-a" -> "disk-a").
func lastSegment(id string) string {
	return id[strings.LastIndex(id, "/")+1:]
}

// kind is a type token without its API version: "azure-native:dbformysql/v20231230:Server" ->
// "dbformysql:Server", so that a new API version of a priced type is still priced.
func kind(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) != 3 || parts[0] != "azure-native" {
		return ""
	}
	module, _, _ := strings.Cut(parts[1], "/")
	return module + ":" + parts[2]
}
