/**
 * What a producer records when using an input (肥药两制 records): the input as written on the record and when it
 * was applied. The record's own ingredient list is kept because the reference set may not know the product.
 */

export interface RecordedInput {
  registrationNo: string | null;
  name: string;
  formulation: string | null;
  /** Active ingredient names as recorded; may be empty when the producer left them out. */
  activeIngredients: readonly string[];
}

export interface Application {
  id: string;
  input: RecordedInput;
  /** A China date "YYYY-MM-DD", or an RFC 3339 instant with offset (counted on its China date). */
  appliedAt: string;
}
