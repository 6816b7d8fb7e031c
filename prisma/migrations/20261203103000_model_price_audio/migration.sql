-- AlterTable
ALTER TABLE "model_prices" ADD COLUMN     "input_audio_per_mtok" DECIMAL(14,6),
ADD COLUMN     "output_audio_per_mtok" DECIMAL(14,6);

