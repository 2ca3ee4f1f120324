export { StackedBarChart } from './bar-chart';
