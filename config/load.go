package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Source is the stack config as the engine hands it to a program: every key as
// "namespace:key", every value as a string (objects and lists as JSON), and the secret keys.
type Source struct {
	Values     map[string]string
	SecretKeys map[string]bool
	// Unquoted holds the stack file's text of every value YAML typed as a number or a boolean,
	// by config path without the namespace ("kubernetesVersion", "mysql.version",
	// "sites[0].name"). The engine passes such a value as its string form ("1.40" arrives as
	// "1.4"), so only a reader of the file itself (plan.ReadStack) can fill it; nil otherwise.
	Unquoted map[string]string
}

// Environment variables through which the Pulumi language host passes config to the program; the
// Go SDK reads the same two (sdk/go/pulumi/run.go).
const (
	envConfig           = "PULUMI_CONFIG"
	envConfigSecretKeys = "PULUMI_CONFIG_SECRET_KEYS"
)

// foreignNamespaces are the config namespaces of the providers this program uses; their keys
// belong to them. Any other namespace is most likely a misspelt project name.
var foreignNamespaces = []string{"azure-native", "kubernetes", "random", "pulumi"}

// SourceFromEnv reads the config the engine passed to this process.
func SourceFromEnv() (Source, error) {
	src := Source{Values: map[string]string{}, SecretKeys: map[string]bool{}}
	if raw := os.Getenv(envConfig); raw != "" {
		if err := json.Unmarshal([]byte(raw), &src.Values); err != nil {
			return Source{}, fmt.Errorf("read %s: %w", envConfig, err)
		}
	}
	if raw := os.Getenv(envConfigSecretKeys); raw != "" {
		var keys []string
		if err := json.Unmarshal([]byte(raw), &keys); err != nil {
			return Source{}, fmt.Errorf("read %s: %w", envConfigSecretKeys, err)
		}
		for _, k := range keys {
			src.SecretKeys[k] = true
		}
	}
	return src, nil
}

// Env returns the two environment variables that make a process see src as its stack config,
// the way the language host passes it.
func (s Source) Env() (map[string]string, error) {
	values, err := json.Marshal(s.Values)
	if err != nil {
		return nil, fmt.Errorf("encode config: %w", err)
	}
	keys := make([]string, 0, len(s.SecretKeys))
	for k := range s.SecretKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	secret, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("encode secret keys: %w", err)
	}
	return map[string]string{envConfig: string(values), envConfigSecretKeys: string(secret)}, nil
}

// Load reads the project's keys from src over the defaults, then validates the result. Problems
// come as one Problems error: every key that does not read (unknown, mistyped), or, when all
// read, every rule the values break.
func Load(project, stack string, src Source) (Config, error) {
	cfg := Defaults()
	cfg.Project, cfg.Stack = project, stack
	probs := read(project, src, &cfg)
	// Validating a half-read config would bury the read problems under their consequences, so
	// the rules run once everything reads.
	if len(probs) == 0 {
		probs = Validate(cfg)
	}
	if len(probs) > 0 {
		return Config{}, redact(probs, project, src)
	}
	return cfg, nil
}

// read decodes each of the project's keys into cfg, which holds the defaults.
func read(project string, src Source, cfg *Config) Problems {
	var probs Problems
	fields := topLevelFields()
	keys := make([]string, 0, len(src.Values))
	for k := range src.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	root := reflect.ValueOf(cfg).Elem()
	for _, full := range keys {
		ns, key, ok := strings.Cut(full, ":")
		if !ok {
			probs.add(full, "", "config keys look like \"namespace:key\"")
			continue
		}
		if ns != project {
			if !slices.Contains(foreignNamespaces, ns) {
				probs.add(full, "", fmt.Sprintf("unknown config namespace %q (allowed: %s)",
					ns, strings.Join(append([]string{project}, foreignNamespaces...), ", ")))
			}
			continue
		}
		idx, ok := fields[key]
		if !ok {
			probs.add(key, "", fmt.Sprintf("unknown config key (allowed: %s)", strings.Join(sortedKeys(fields), ", ")))
			continue
		}
		field := root.Type().Field(idx)
		dst := root.Field(idx)
		raw := src.Values[full]
		if field.Tag.Get("secret") == "true" {
			if raw == "" {
				continue
			}
			if !src.SecretKeys[full] {
				probs.add(key, "", "must be stored as a secret: pulumi config set --secret "+key+" ...")
				continue
			}
			dst.Set(reflect.ValueOf(NewSecret(raw)))
			continue
		}
		probs = append(probs, decodeTop(key, raw, dst, src.Unquoted)...)
	}
	return probs
}

// redact drops the value from every problem whose key the user stored as a secret, whatever
// the key's type: a secret is never echoed, even where the program does not expect one.
func redact(probs Problems, project string, src Source) Problems {
	out := make(Problems, len(probs))
	for i, p := range probs {
		top := p.Key
		if j := strings.IndexAny(top, ".["); j >= 0 {
			top = top[:j]
		}
		if src.SecretKeys[project+":"+top] {
			p.Value = ""
			if strings.Contains(p.Msg, "JSON") {
				p.Msg = "is not a valid value for this key"
			}
		}
		out[i] = p
	}
	return out
}

// decodeTop decodes one top-level value: scalars arrive as plain strings, the rest as JSON.
// unquoted is Source.Unquoted.
func decodeTop(key, raw string, dst reflect.Value, unquoted map[string]string) Problems {
	switch dst.Kind() {
	case reflect.String:
		// A top-level string arrives as the engine's string form of what YAML read; where that
		// lost something (1.40 became "1.4"), the value is not what the file says.
		if text, ok := unquoted[key]; ok && text != raw {
			return Problems{{Key: key, Value: raw, Msg: quoteHint(key, text)}}
		}
		dst.SetString(raw)
		return nil
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return Problems{{Key: key, Value: raw, Msg: "must be true or false"}}
		}
		dst.SetBool(b)
		return nil
	case reflect.Int:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return Problems{{Key: key, Value: raw, Msg: "must be a whole number"}}
		}
		dst.SetInt(int64(n))
		return nil
	case reflect.Float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return Problems{{Key: key, Value: raw, Msg: "must be a number"}}
		}
		dst.SetFloat(f)
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return Problems{{Key: key, Msg: "is not valid JSON/YAML structure: " + err.Error()}}
	}
	if dec.More() {
		return Problems{{Key: key, Msg: "is not valid JSON/YAML structure: text after the value"}}
	}
	var probs Problems
	assign(key, v, dst, &probs, unquoted)
	return probs
}

// quoteHint tells how to write a string that YAML read as a number or a boolean: 1.40 becomes
// the number 1.4, and 8.0 the number 8, before the program sees them.
func quoteHint(path, text string) string {
	kind := "a boolean"
	if _, err := strconv.ParseFloat(text, 64); err == nil {
		kind = "a number"
	}
	quoted := strconv.Quote(text)
	if name := path[strings.LastIndexAny(path, ".]")+1:]; name != "" {
		quoted = name + ": " + quoted
	}
	return fmt.Sprintf("must be a string, but the stack file has %s without quotes, which YAML reads as %s; write %s", text, kind, quoted)
}

// assign stores v, decoded from JSON, into dst, reporting unknown keys and wrong types with
// their full path. Struct fields not mentioned keep their defaults; a null keeps the default.
func assign(path string, v any, dst reflect.Value, probs *Problems, unquoted map[string]string) {
	if v == nil {
		return
	}
	switch dst.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			msg := "must be a string"
			if text, ok := unquoted[path]; ok {
				msg = quoteHint(path, text)
			}
			probs.add(path, fmt.Sprint(v), msg)
			return
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			probs.add(path, fmt.Sprint(v), "must be true or false")
			return
		}
		dst.SetBool(b)
	case reflect.Int:
		n, ok := v.(json.Number)
		i, err := n.Int64()
		if !ok || err != nil {
			probs.add(path, fmt.Sprint(v), "must be a whole number")
			return
		}
		dst.SetInt(i)
	case reflect.Float64:
		n, ok := v.(json.Number)
		f, err := n.Float64()
		if !ok || err != nil {
			probs.add(path, fmt.Sprint(v), "must be a number")
			return
		}
		dst.SetFloat(f)
	case reflect.Slice:
		items, ok := v.([]any)
		if !ok {
			probs.add(path, "", "must be a list")
			return
		}
		out := reflect.MakeSlice(dst.Type(), len(items), len(items))
		for i, item := range items {
			elem := out.Index(i)
			if elem.Type() == reflect.TypeOf(Site{}) {
				elem.Set(reflect.ValueOf(defaultSite()))
			}
			assign(fmt.Sprintf("%s[%d]", path, i), item, elem, probs, unquoted)
		}
		dst.Set(out)
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			probs.add(path, "", "must be a map of strings")
			return
		}
		out := reflect.MakeMap(dst.Type())
		for _, k := range sortedKeys(obj) {
			s, ok := obj[k].(string)
			if !ok {
				msg := "must be a string"
				if text, ok := unquoted[path+"."+k]; ok {
					msg = quoteHint(path+"."+k, text)
				}
				probs.add(path+"."+k, fmt.Sprint(obj[k]), msg)
				continue
			}
			out.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
		}
		dst.Set(out)
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			probs.add(path, "", "must be an object")
			return
		}
		fields := jsonFields(dst.Type())
		for _, k := range sortedKeys(obj) {
			idx, ok := fields[k]
			if !ok {
				probs.add(path+"."+k, "", fmt.Sprintf("unknown key (allowed: %s)", strings.Join(sortedKeys(fields), ", ")))
				continue
			}
			assign(path+"."+k, obj[k], dst.Field(idx), probs, unquoted)
		}
	default:
		probs.add(path, "", "cannot be set here")
	}
}

func topLevelFields() map[string]int { return jsonFields(reflect.TypeOf(Config{})) }

// SecretKeys lists the top-level keys the program reads only as secrets, sorted.
func SecretKeys() []string {
	var out []string
	t := reflect.TypeOf(Config{})
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("secret") == "true" {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// jsonFields maps a struct's json names to field indexes.
func jsonFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = i
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
