module github.com/example/wordpress-aks

go 1.26
