-- Creates the store's database (store.Migrate, through the default
-- database), rendered for the layout as the migrations are: {{database}}
-- is the store's checked name.
CREATE DATABASE IF NOT EXISTS {{database}} {{onCluster}}
