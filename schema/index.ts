export * from "./audit";
export * from "./formulary";
export * from "./members";
export * from "./pharmacy";
export * from "./prescriptions";
export * from "./rules";
export * from "./guards";
export * from "./orders";
