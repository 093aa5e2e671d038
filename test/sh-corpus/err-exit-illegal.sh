exit foo
