module github.com/genid-migrate/genid-migrate

go 1.26.8
