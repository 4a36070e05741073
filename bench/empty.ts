// The baseline for `npm run bench`: an empty zx TypeScript script, run the same way as the tasks.
const nothing: number = 0;
export default nothing;
