package plan

import "os"

// setEnv sets environment variables and returns a function that puts the old values back.
func setEnv(env map[string]string) func() {
	type old struct {
		value string
		set   bool
	}
	saved := map[string]old{}
	for k, v := range env {
		prev, ok := os.LookupEnv(k)
		saved[k] = old{prev, ok}
		os.Setenv(k, v)
	}
	return func() {
		for k, o := range saved {
			if o.set {
				os.Setenv(k, o.value)
			} else {
				os.Unsetenv(k)
			}
		}
	}
}
