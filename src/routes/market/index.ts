import { createRouter } from "../../http/router";
import { marketApiRouter } from "./api";
import { marketExportsRouter } from "./exports";
import { marketOfflineRouter } from "./offline";
import { marketPageRouter } from "./page";

/** The market gate: JSON API, ledger exports and the gate page. */
export const marketRouter = createRouter().route("/", marketExportsRouter).route("/", marketOfflineRouter).route("/", marketApiRouter).route("/", marketPageRouter);
