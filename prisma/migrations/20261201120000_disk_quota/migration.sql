-- A per-user workspace disk quota set by an admin (null: the default).
ALTER TABLE "User" ADD COLUMN "diskQuotaMb" INTEGER;
